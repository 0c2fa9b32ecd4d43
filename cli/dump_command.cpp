// `flakegrab dump REPO BRANCH...`: scan branches straight from a git repository.
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "cli/commands.h"
#include "cli/scan_options.h"
#include "grabber/repo.h"

namespace flakegrab::cli {

namespace {

struct DumpArgs {
  std::string format = "json";
  bool pretty = false;
  RepoOptionsArgs repo_options;
  ScanOptionsArgs scan;
};

bool asks_for_many(const DumpArgs& a) {
  const RepoOptionsArgs& o = a.repo_options;
  if (!o.repos_file.empty() || o.all_branches || o.refs.size() != 1) return true;
  return o.refs[0].find_first_of("*?[") != std::string::npos;
}

int run_dump(const DumpArgs& a) {
  std::vector<RepoRequest> requests = repo_requests("dump", a.repo_options);
  std::vector<RefScan> scans = scan_repositories(
      requests, to_scan_config(a.scan), to_repo_scan_options(a.repo_options, a.scan.threads));

  const std::size_t failed = report_failed_refs(scans, "dump");
  bool incomplete = false;
  for (const auto& s : scans)
    if (s.scan) incomplete = report_unreadable(*s.scan, "dump") || incomplete;
  if (a.format == "ndjson") {
    for (const auto& s : scans) write_ndjson(std::cout, s);
  } else if (!asks_for_many(a) && scans.size() == 1) {
    // Streamed: the document of a large repository is never held whole.
    if (scans[0].scan) {
      JsonWriter out(std::cout, a.pretty ? 2 : -1);
      write_json(out, scans[0]);
      std::cout << '\n';
    }
  } else {
    JsonWriter out(std::cout, a.pretty ? 2 : -1);
    out.begin_object();
    out.key("schema_version");
    out.value(1);
    out.key("generator");
    out.value({{"name", "flakegrab"}, {"version", FLAKEGRAB_VERSION}});
    out.key("complete");
    out.value(failed == 0 && !incomplete);
    out.key("scans");
    out.begin_array();
    nlohmann::ordered_json failures = nlohmann::ordered_json::array();
    for (const auto& s : scans) {
      if (s.scan)
        write_json(out, s);
      else
        failures.push_back(
            {{"repo", s.repo}, {"ref", s.ref}, {"error", s.error.value_or("not scanned")}});
    }
    out.end();
    out.key("failed");
    out.value(failures);
    out.end();
    std::cout << '\n';
  }
  std::cout.flush();
  int rc = exit_code_for(failed, scans.size());
  return rc == kExitOk && incomplete ? kExitPartial : rc;
}

}  // namespace

void add_dump_command(CLI::App& app, Runner& run) {
  auto args = std::make_shared<DumpArgs>();
  auto* cmd = app.add_subcommand(
      "dump", "Scan branches, tags or commits of a git repository (path or URL) without checkout");
  add_repo_options(cmd, args->repo_options);
  add_shard_option(cmd, args->repo_options);
  cmd->add_option("--format", args->format, "json (one document) or ndjson (one marker a line)")
      ->check(CLI::IsMember({"json", "ndjson"}))
      ->capture_default_str();
  add_pretty_flag(cmd, args->pretty);
  add_scan_options(cmd, args->scan);
  cmd->footer(
      "Examples:\n"
      "  flakegrab dump https://github.com/dcos/dcos.git master 'release/*'\n"
      "  flakegrab dump --format ndjson --all-branches ../myrepo");
  cmd->callback([&run, args] { run = [args] { return run_dump(*args); }; });
}

}  // namespace flakegrab::cli
