#pragma once
// --quiet and --verbose: one definition shared by every subcommand.
#include <CLI/CLI.hpp>

namespace flakegrab::cli {

enum class OutputLevel {
  quiet,    // errors only: no progress, no warnings, no summaries
  normal,   // progress on a terminal, warnings
  verbose,  // and one line per repository fetched and per ref or directory scanned
};

// The level the command line asked for (normal until parsed).
OutputLevel output_level();

// Adds --quiet/-q and --verbose/-v to `cmd`.
void add_output_level_flags(CLI::App* cmd);

}  // namespace flakegrab::cli
