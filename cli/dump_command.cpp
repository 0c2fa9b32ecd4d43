// `flakegrab dump REPO BRANCH...`: scan branches straight from a git repository.
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/scan_options.h"
#include "grabber/error.h"
#include "grabber/read_file.h"
#include "grabber/repo.h"

namespace flakegrab::cli {

namespace {

struct DumpArgs {
  std::string repo;
  std::string repos_file;
  std::vector<std::string> refs;
  std::string cache_dir;
  bool all_branches = false;
  bool no_cache = false;
  std::string format = "json";
  unsigned threads = 0;
  int retries = 3;
  ScanOptionsArgs scan;
};

bool asks_for_many(const DumpArgs& a) {
  if (!a.repos_file.empty() || a.all_branches || a.refs.size() != 1) return true;
  return a.refs[0].find_first_of("*?[") != std::string::npos;
}

int run_dump(const DumpArgs& a) {
  if (a.repo.empty() == a.repos_file.empty())
    throw Error("dump: give REPO BRANCH... or --repos FILE (one of them)");
  if (!a.repo.empty() && a.refs.empty() && !a.all_branches)
    throw Error("dump: name at least one BRANCH, or pass --all-branches");
  ScanConfig config = to_scan_config(a.scan);
  RepoScanOptions options;
  options.cache_dir = a.cache_dir;
  options.all_branches = a.all_branches;
  options.threads = a.threads;
  options.retries = a.retries;
  options.use_cache = !a.no_cache;
  std::vector<RefScan> scans =
      a.repos_file.empty()
          ? scan_repository(a.repo, a.refs, config, options)
          : scan_repositories(parse_repo_list(read_whole_file(a.repos_file), a.repos_file), config,
                              options);

  size_t failed = 0;
  for (const auto& s : scans) {
    if (!s.scan) {
      ++failed;
      std::fprintf(stderr, "flakegrab: dump: %s\n", s.error.value_or("not scanned").c_str());
    }
  }
  if (a.format == "ndjson") {
    for (const auto& s : scans) {
      if (!s.scan) continue;
      for (const auto& m : s.scan->markers) {
        nlohmann::ordered_json j = to_json(m);
        j["repo"] = s.repo;
        j["branch"] = s.branch;
        j["commit"] = s.commit;
        std::cout << j.dump() << '\n';
      }
    }
  } else if (!asks_for_many(a) && scans.size() == 1) {
    if (scans[0].scan) std::cout << to_json(scans[0]).dump(2) << '\n';
  } else {
    nlohmann::ordered_json doc;
    doc["schema_version"] = 1;
    doc["generator"] = std::string("flakegrab ") + FLAKEGRAB_VERSION;
    doc["scans"] = nlohmann::ordered_json::array();
    doc["failed"] = nlohmann::ordered_json::array();
    for (const auto& s : scans) {
      if (s.scan) {
        doc["scans"].push_back(to_json(s));
      } else {
        doc["failed"].push_back(
            {{"repo", s.repo}, {"ref", s.ref}, {"error", s.error.value_or("not scanned")}});
      }
    }
    std::cout << doc.dump(2) << '\n';
  }
  std::cout.flush();
  if (failed == 0) return kExitOk;
  return failed == scans.size() ? kExitError : kExitPartial;
}

}  // namespace

void add_dump_command(CLI::App& app, Runner& run) {
  auto args = std::make_shared<DumpArgs>();
  auto* cmd = app.add_subcommand(
      "dump", "Scan branches, tags or commits of a git repository (path or URL) without checkout");
  cmd->add_option("repo", args->repo,
                  "Repository: local path, file://, http(s)://, ssh:// or user@host:path");
  cmd->add_option("branches", args->refs,
                  "Branches (globs like 'release/*' allowed), tags or commit shas");
  cmd->add_option("--cache-dir", args->cache_dir,
                  "Mirror and scan cache directory (default $XDG_CACHE_HOME/flakegrab)");
  cmd->add_option("--repos", args->repos_file,
                  "Scan the repositories listed in FILE: one 'REPO [BRANCH...]' per line");
  cmd->add_flag("--all-branches", args->all_branches, "Scan every branch");
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"json", "ndjson"}));
  cmd->add_flag("--no-cache", args->no_cache, "Neither read nor write the incremental scan cache");
  cmd->add_option("--threads", args->threads, "Scanner threads (0 = all cores)");
  cmd->add_option("--retries", args->retries, "Retries of transient network errors")
      ->check(CLI::Range(0, 10));
  add_scan_options(cmd, args->scan);
  cmd->callback([&run, args] { run = [args] { return run_dump(*args); }; });
}

}  // namespace flakegrab::cli
