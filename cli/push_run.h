#pragma once
// What `push` and `redshift` (the original tool's name for a push to Redshift) share: the push's
// arguments, its options besides where the rows go, and the run.
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/correlate_inputs.h"
#include "cli/scan_options.h"

namespace flakegrab::cli {

struct PushArgs {
  std::string db;
  std::vector<std::string> dirs;
  std::vector<std::string> documents;
  std::optional<int> retention_days;
  RepoOptionsArgs repo_options;
  ScanOptionsArgs scan;
  CorrelateInputs history;  // its history, judge and ticket fields: verdicts pushed with the scans
};

// REPO BRANCH... / --repos and the mirror options, --shard, the scan options, --retention-days
// and the history (verdict) options: everything but --db, --dir and --from.
void add_push_options(CLI::App* cmd, PushArgs& a);

// `command` names the subcommand in messages.
int run_push(const PushArgs& a, const std::string& command = "push");

}  // namespace flakegrab::cli
