#pragma once
// Scan options shared by `scan`, `dump` and `correlate`.
#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "grabber/grabber.h"

namespace flakegrab::cli {

struct ScanOptionsArgs {
  std::vector<std::string> markers;  // NAME=KIND
  std::string config_file;
  bool all_files = false;
  std::uint64_t max_file_size = 0;  // 0 = keep the default
  unsigned threads = 0;             // not registered here: dump owns its own --threads
};

void add_scan_options(CLI::App* cmd, ScanOptionsArgs& args);

// Throws Error naming the bad --marker or --config.
ScanConfig to_scan_config(const ScanOptionsArgs& args);

}  // namespace flakegrab::cli
