// `flakegrab scan PATH...`: scan working directories and print the scan JSON.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/progress_renderer.h"
#include "cli/scan_options.h"
#include "grabber/grabber.h"

namespace flakegrab::cli {

namespace {

struct ScanArgs {
  ScanOptionsArgs scan;
  std::vector<std::string> paths;
  std::string cache_dir;
  bool pretty = false;
};

int run_scan(const ScanArgs& a) {
  ScanConfig config = to_scan_config(a.scan);
  std::vector<ScanResult> results;
  bool incomplete = false;
  for (const auto& p : a.paths) {
    results.push_back(scan_directory(p, config, a.scan.threads, &progress(), a.cache_dir));
    incomplete = report_unreadable(results.back(), "scan") || incomplete;
  }
  // Streamed: the document of a large tree is never held whole.
  JsonWriter out(std::cout, a.pretty ? 2 : -1);
  if (results.size() == 1) {
    write_json(out, results[0]);
  } else {
    out.begin_object();
    out.key("schema_version");
    out.value(1);
    out.key("scans");
    out.begin_array();
    for (const auto& r : results) write_json(out, r);
    out.end();
    out.end();
  }
  std::cout << "\n";
  return incomplete ? kExitPartial : kExitOk;
}

}  // namespace

void add_scan_command(CLI::App& app, Runner& run) {
  auto args = std::make_shared<ScanArgs>();
  auto* cmd = app.add_subcommand("scan", "Find muted-test markers in working directories");
  add_scan_options(cmd, args->scan);
  add_pretty_flag(cmd, args->pretty);
  cmd->add_option("--cache-dir", args->cache_dir,
                  "Keep each file's result in DIR between runs (the scan cache `dump` keeps "
                  "in its --cache-dir): a rescan parses only what changed. Default: no cache")
      ->type_name("DIR");
  cmd->add_option("PATH", args->paths, "Directories to scan")->required()->type_name("");
  cmd->footer(
      "Examples:\n"
      "  flakegrab scan .\n"
      "  flakegrab scan --cache-dir ~/.cache/flakegrab . | jq '.markers | length'\n"
      "  flakegrab scan --marker quarantined=skip --pretty src/ tests/");
  cmd->callback([&run, args] { run = [args] { return run_scan(*args); }; });
}

}  // namespace flakegrab::cli
