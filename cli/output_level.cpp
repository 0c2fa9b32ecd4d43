#include "cli/output_level.h"

namespace flakegrab::cli {

namespace {

OutputLevel level = OutputLevel::normal;

}  // namespace

OutputLevel output_level() {
  return level;
}

void add_output_level_flags(CLI::App* cmd) {
  auto* quiet = cmd->add_flag_callback(
      "-q,--quiet", [] { level = OutputLevel::quiet; },
      "Print errors only: no progress, warnings or summaries");
  cmd->add_flag_callback(
         "-v,--verbose", [] { level = OutputLevel::verbose; },
         "Also print a line per repository fetched and per branch or directory scanned")
      ->excludes(quiet);
}

}  // namespace flakegrab::cli
