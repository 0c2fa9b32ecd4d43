#include "cli/scan_options.h"

#include <cstdio>

#include "grabber/read_file.h"
#include "grabber/scan_pipeline.h"

namespace flakegrab::cli {

void add_scan_options(CLI::App* cmd, ScanOptionsArgs& args) {
  cmd->add_option("--marker", args.markers,
                  "Extra marker NAME=KIND (xfail, skip, skipif, flaky, custom)")
      ->allow_extra_args(false);  // one value per --marker, so PATHs after it stay PATHs
  cmd->add_option("--config", args.config_file, "flakegrab config file (INI)");
  cmd->add_flag("--all-files", args.all_files, "Scan every .py file, not only pytest test files");
  cmd->add_option("--max-file-size", args.max_file_size, "Skip files larger than BYTES");
  cmd->add_option("--threads", args.threads, "Worker threads (0 = all cores)");
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
  if (args.max_file_size != 0) config.max_file_bytes = args.max_file_size;
  return config;
}

void add_insecure_auth_flag(CLI::App* cmd, bool& allow) {
  cmd->add_flag("--allow-insecure-auth", allow,
                "Also send credentials (GITHUB_TOKEN, GIT_TOKEN, GITLAB_TOKEN, tracker tokens) "
                "over plain http (refused by default)");
}

void add_repo_options(CLI::App* cmd, RepoOptionsArgs& args) {
  cmd->add_option("REPO", args.repo,
                  "Repository: local path, file://, http(s)://, ssh:// or user@host:path");
  cmd->add_option("BRANCH", args.refs,
                  "Branches (globs like 'release/*' allowed), tags or commit shas");
  cmd->add_option("--repos", args.repos_file,
                  "Scan the repositories listed in FILE: one 'REPO [BRANCH...]' per line");
  cmd->add_option("--cache-dir", args.cache_dir,
                  "Mirror and scan cache directory (default $XDG_CACHE_HOME/flakegrab)");
  cmd->add_flag("--all-branches", args.all_branches, "Scan every branch");
  cmd->add_flag("--no-cache", args.no_cache, "Neither read nor write the incremental scan cache");
  cmd->add_option("--retries", args.retries, "Retries of transient network errors")
      ->check(CLI::Range(0, 10));
  add_insecure_auth_flag(cmd, args.auth.allow_insecure);
}

RepoScanOptions to_repo_scan_options(const RepoOptionsArgs& args, unsigned threads) {
  RepoScanOptions o;
  o.cache_dir = args.cache_dir;
  o.all_branches = args.all_branches;
  o.threads = threads;
  o.retries = args.retries;
  o.use_cache = !args.no_cache;
  o.auth = args.auth;
  return o;
}

bool repo_given(const RepoOptionsArgs& args) {
  return !args.repo.empty() || !args.repos_file.empty();
}

std::vector<RepoRequest> repo_requests(const std::string& command, const RepoOptionsArgs& args) {
  if (args.repo.empty() == args.repos_file.empty())
    throw Error(command + ": give REPO BRANCH... or --repos FILE (one of them)");
  if (!args.repos_file.empty())
    return parse_repo_list(read_whole_file(args.repos_file), args.repos_file);
  if (args.refs.empty() && !args.all_branches)
    throw Error(command + ": name at least one BRANCH after REPO, or pass --all-branches");
  return {{args.repo, args.refs}};
}

std::size_t report_failed_refs(const std::vector<RefScan>& scans, const std::string& command) {
  std::size_t failed = 0;
  for (const auto& s : scans) {
    if (s.scan) continue;
    ++failed;
    std::fprintf(stderr, "flakegrab: %s: %s\n", command.c_str(),
                 s.error.value_or("not scanned").c_str());
  }
  return failed;
}

}  // namespace flakegrab::cli

namespace flakegrab::cli {

bool report_unreadable(const ScanResult& scan, const std::string& command) {
  for (const auto& f : scan.stats.skipped)
    if (f.reason == kUnreadable)
      std::fprintf(stderr, "flakegrab: %s: %s: %s: unreadable (scan incomplete)\n",
                   command.c_str(), scan.root.c_str(), f.file.c_str());
  return !scan.complete;
}

}  // namespace flakegrab::cli
