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
  bool pretty = false;
};

int run_scan(const ScanArgs& a) {
  ScanConfig config = to_scan_config(a.scan);
  std::vector<nlohmann::ordered_json> docs;
  bool incomplete = false;
  for (const auto& p : a.paths) {
    ScanResult r = scan_directory(p, config, a.scan.threads, &progress());
    incomplete = report_unreadable(r, "scan") || incomplete;
    docs.push_back(to_json(r));
  }
  nlohmann::ordered_json out;
  if (docs.size() == 1) {
    out = std::move(docs[0]);
  } else {
    out["schema_version"] = 1;
    out["scans"] = std::move(docs);
  }
  std::cout << out.dump(a.pretty ? 2 : -1) << "\n";
  return incomplete ? kExitPartial : kExitOk;
}

}  // namespace

void add_scan_command(CLI::App& app, Runner& run) {
  auto args = std::make_shared<ScanArgs>();
  auto* cmd = app.add_subcommand("scan", "Find muted-test markers in working directories");
  add_scan_options(cmd, args->scan);
  add_pretty_flag(cmd, args->pretty);
  cmd->add_option("PATH", args->paths, "Directories to scan")->required()->type_name("");
  cmd->footer(
      "Examples:\n"
      "  flakegrab scan .\n"
      "  flakegrab scan --marker quarantined=skip --pretty src/ tests/");
  cmd->callback([&run, args] { run = [args] { return run_scan(*args); }; });
}

}  // namespace flakegrab::cli
