#pragma once
// What `correlate` and `serve` both take: where the markers come from (a scan document, a
// directory, or REPO BRANCH...), where the history comes from (a bundle, GitLab, or JUnit XML),
// and the window; and the judging of one against the other.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/scan_options.h"
#include "cli/ticket_options.h"
#include "correlate/correlate.h"
#include "correlate/fetch.h"

namespace flakegrab::cli {

struct CorrelateInputs {
  std::string scan_json, scan_dir;
  RepoOptionsArgs repo;  // REPO BRANCH... or --repos, as for dump
  std::string bundle;    // file or http(s) URL
  std::string gitlab_url, project, package = "flake-history", package_file;
  std::vector<std::string> junit;
  std::vector<std::string> flaky_reports;  // pytest logs holding the `flaky` plugin's report
  std::string run_by = "file";
  int window_days = 0;
  correlate::JudgeOptions judge;  // --confidence, --max-fail-rate, --min-runs
  std::string as_of;              // empty: now
  ScanOptionsArgs scan;
  TicketArgs tickets;
  std::string db;                   // the history database read for first_seen ("" = none)
  bool history_optional = false;    // audit: markers alone are enough
  correlate::FetchLimits download;  // --max-download-bytes, --download-timeout, auth policy
};

void add_correlate_inputs(CLI::App* cmd, CorrelateInputs& in);
// Only the history options (--bundle, --gitlab-url..., --junit, --run-by, --window-days,
// --as-of) and how much evidence a verdict needs (--confidence, --max-fail-rate, ...): what
// `serve` takes besides its own marker sources.
void add_history_options(CLI::App* cmd, CorrelateInputs& in);

// --flaky-report, as `bundle`, `correlate` and `serve` take it.
CLI::Option* add_flaky_report_option(CLI::App* cmd, std::vector<std::string>& logs);
// The reports named by --junit (warnings printed) with --flaky-report's retries attached.
// Throws Error("<command>: no readable JUnit report among the inputs") when none could be read.
correlate::JunitReadResult read_junit_inputs(const std::string& command,
                                             const std::vector<std::string>& junit,
                                             const std::vector<std::string>& flaky_reports,
                                             unsigned threads = 0);

bool has_history(const CorrelateInputs& in);
// --as-of normalised, or now. Throws Error on a bad date.
std::string resolve_as_of(const CorrelateInputs& in);
// The history given by the options (not yet restricted to the window). Throws Error when none
// is given or it cannot be loaded.
correlate::History load_history(const CorrelateInputs& in, bool& partial);

// Loads markers and history and judges them. `partial` is set when an input was skipped (a
// malformed report, a branch that failed) and named on stderr; throws Error when nothing useful
// could be loaded.
correlate::CorrelateResult correlate_inputs(const CorrelateInputs& in, bool& partial);

}  // namespace flakegrab::cli
