#include "cli/scan_options.h"

#include "grabber/scan_pipeline.h"

namespace flakegrab::cli {

void add_scan_options(CLI::App* cmd, ScanOptionsArgs& args) {
  cmd->add_option("--marker", args.markers,
                  "Extra marker NAME=KIND (xfail, skip, skipif, flaky, custom)")
      ->allow_extra_args(false);  // one value per --marker, so PATHs after it stay PATHs
  cmd->add_option("--config", args.config_file, "flakegrab config file (INI)");
  cmd->add_flag("--all-files", args.all_files, "Scan every .py file, not only pytest test files");
  cmd->add_option("--max-file-size", args.max_file_size, "Skip files larger than BYTES");
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

}  // namespace flakegrab::cli
