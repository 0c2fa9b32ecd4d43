#include "cli/scan_options.h"

#include <cctype>
#include <cstdio>

#include "base/read_file.h"
#include "cli/messages.h"
#include "cli/progress_renderer.h"
#include "grabber/grabber.h"

namespace flakegrab::cli {

void add_scan_options(CLI::App* cmd, ScanOptionsArgs& args) {
  cmd->add_option("--marker", args.markers,
                  "Extra marker NAME=KIND (xfail, skip, skipif, flaky, custom)")
      ->allow_extra_args(false);  // one value per --marker, so PATHs after it stay PATHs
  cmd->add_option("--config", args.config_file, "flakegrab config file (INI)")->type_name("FILE");
  cmd->add_flag("--all-files", args.all_files, "Scan every .py file, not only pytest test files");
  cmd->add_flag("--full-parse", args.full_parse,
                "Parse every file whole (by default function bodies that can hold no marker "
                "are left out; the records are the same)");
  cmd->add_option("--max-file-size", args.max_file_size,
                  "Skip files larger than SIZE: bytes or with a unit (500k, 2MiB, 1G)")
      ->type_name("SIZE")
      ->default_str("2MiB")
      ->check(CLI::Validator(
          [](const std::string& v) -> std::string {
            auto bytes = parse_byte_size(v);
            return bytes && *bytes > 0
                       ? std::string()
                       : "expected a size such as 2MiB, 500k or 1000, got '" + v + "'";
          },
          "SIZE"));
  cmd->add_option("--threads", args.threads, "Worker threads (0 = all cores)")
      ->capture_default_str();
}

std::optional<std::uint64_t> parse_byte_size(const std::string& text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || digits > 15) return std::nullopt;
  std::uint64_t n = std::stoull(text.substr(0, digits));
  std::string unit = text.substr(digits);
  for (auto& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::pair<const char*, int> kUnits[] = {
      {"", 0},    {"b", 0},    {"k", 10}, {"kb", 10}, {"kib", 10}, {"m", 20},
      {"mb", 20}, {"mib", 20}, {"g", 30}, {"gb", 30}, {"gib", 30}};
  for (const auto& [name, shift] : kUnits)
    if (unit == name) return n << shift;
  return std::nullopt;
}

ScanConfig to_scan_config(const ScanOptionsArgs& args) {
  ScanConfig config = ScanConfig::defaults();
  if (!args.config_file.empty()) config = load_scan_config(args.config_file, std::move(config));
  for (const auto& spec : args.markers) {
    auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0)
      throw Error("--marker " + spec + ": expected NAME=KIND");
    auto kind = marker_kind_from_string(std::string_view(spec).substr(eq + 1));
    if (!kind) throw Error("--marker " + spec + ": unknown kind '" + spec.substr(eq + 1) + "'");
    config.markers[spec.substr(0, eq)] = *kind;
  }
  if (args.all_files) config.all_files = true;
  if (args.full_parse) config.full_parse = true;
  if (!args.max_file_size.empty()) {
    auto bytes = parse_byte_size(args.max_file_size);
    if (!bytes || *bytes == 0)
      throw Error("--max-file-size: expected a size such as 2MiB, 500k or 1000, got '" +
                  args.max_file_size + "'");
    config.max_file_bytes = *bytes;
  }
  return config;
}

void add_insecure_auth_flag(CLI::App* cmd, bool& allow) {
  // Repository and ticket options both want the one flag; the second binds to the first.
  if (CLI::Option* existing = cmd->get_option_no_throw("--allow-insecure-auth")) {
    existing->each([&allow](const std::string&) { allow = true; });
    return;
  }
  cmd->add_flag("--allow-insecure-auth", allow,
                "Also send credentials (GITHUB_TOKEN, GIT_TOKEN, GITLAB_TOKEN, tracker tokens) "
                "over plain http (refused by default)");
}

void add_repo_options(CLI::App* cmd, RepoOptionsArgs& args) {
  cmd->add_option("REPO", args.repo,
                  "Repository: local path, file://, http(s)://, ssh:// or user@host:path")
      ->type_name("");
  cmd->add_option("BRANCH", args.refs,
                  "Branches (globs like 'release/*' allowed), tags or commit shas; HEAD is "
                  "the branch it points at")
      ->type_name("");
  cmd->add_option("--repos", args.repos_file,
                  "Scan the repositories listed in FILE: one 'REPO [BRANCH...]' per line")
      ->type_name("FILE");
  cmd->add_option("--cache-dir", args.cache_dir,
                  "Mirror and scan cache directory (default $XDG_CACHE_HOME/flakegrab); a working "
                  "directory (--dir, --scan-dir) uses its scan cache only when it is given")
      ->type_name("DIR");
  cmd->add_flag("--all-branches", args.all_branches, "Scan every branch");
  cmd->add_flag("--no-cache", args.no_cache, "Neither read nor write the incremental scan cache");
  cmd->add_option("--retries", args.retries, "Retries of transient network errors (0-10)")
      ->check(CLI::Range(0, 10))
      ->type_name("N")
      ->capture_default_str();
  add_insecure_auth_flag(cmd, args.auth.allow_insecure);
}

void add_shard_option(CLI::App* cmd, RepoOptionsArgs& args) {
  cmd->add_option("--shard", args.shard,
                  "With --repos: only share I of N (0 <= I < N) of the repositories, by a stable "
                  "hash of each URL (credentials stripped), e.g. $(JOB_COMPLETION_INDEX)/4")
      ->type_name("I/N")
      ->check([](const std::string& s) {
        try {
          parse_repo_shard(s);
          return std::string();
        } catch (const Error& e) {
          return std::string(e.what());
        }
      });
}

std::string directory_cache_dir(const RepoOptionsArgs& args) {
  return args.no_cache ? std::string() : args.cache_dir;
}

RepoScanOptions to_repo_scan_options(const RepoOptionsArgs& args, unsigned threads) {
  RepoScanOptions o;
  o.cache_dir = args.cache_dir;
  o.all_branches = args.all_branches;
  o.threads = threads;
  o.retries = args.retries;
  o.use_cache = !args.no_cache;
  o.auth = args.auth;
  o.progress = &progress();
  return o;
}

bool repo_given(const RepoOptionsArgs& args) {
  return !args.repo.empty() || !args.repos_file.empty();
}

std::vector<RepoRequest> repo_requests(const std::string& command, const RepoOptionsArgs& args) {
  if (args.repo.empty() == args.repos_file.empty())
    throw Error(command + ": give REPO BRANCH... or --repos FILE (one of them)");
  if (!args.shard.empty() && args.repos_file.empty())
    throw Error(command + ": --shard splits a --repos list; give --repos FILE");
  if (!args.repos_file.empty()) {
    auto all = parse_repo_list(read_whole_file(args.repos_file), args.repos_file);
    if (args.shard.empty()) return all;
    RepoShard shard = parse_repo_shard(args.shard);
    std::erase_if(
        all, [&](const RepoRequest& r) { return repo_shard(r.repo, shard.count) != shard.index; });
    return all;
  }
  if (args.refs.empty() && !args.all_branches)
    throw Error(command + ": name at least one BRANCH after REPO, or pass --all-branches");
  return {{args.repo, args.refs}};
}

std::size_t report_failed_refs(const std::vector<RefScan>& scans, const std::string& command) {
  std::size_t failed = 0;
  for (const auto& s : scans) {
    if (s.scan) continue;
    ++failed;
    progress().clear();
    std::fprintf(stderr, "flakegrab: %s: %s\n", command.c_str(),
                 s.error.value_or("not scanned").c_str());
  }
  return failed;
}

}  // namespace flakegrab::cli

namespace flakegrab::cli {

bool report_unreadable(const ScanResult& scan, const std::string& command) {
  progress().clear();
  for (const auto& f : scan.stats.skipped)
    if (f.reason == kUnreadable)
      std::fprintf(stderr, "flakegrab: %s: %s: %s: unreadable (scan incomplete)%s%s\n",
                   command.c_str(), scan.root.c_str(), f.file.c_str(), f.detail.empty() ? "" : ": ",
                   f.detail.c_str());
  for (const auto& f : scan.stats.parse_error_files)
    note(command + ": " + scan.root + ": " + f + ": parse error (markers are what the parser " +
         "recovered)");
  return !scan.complete;
}

}  // namespace flakegrab::cli
