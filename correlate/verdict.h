#pragma once
// Joins markers with history and says per test: unmute, keep, mute, fix, orphan, no_signal,
// ok, or ignored (a marker pytest ignores: on a fixture or a redefined test; it mutes nothing).
#include <cstdint>
#include <string>
#include <vector>

#include "correlate/evidence.h"
#include "correlate/history.h"
#include "correlate/mute_context.h"
#include "correlate/verdict_kind.h"
#include "grabber/grabber.h"

namespace flakegrab::correlate {

struct VerdictRow {
  std::string test_id;         // pytest node id (history's, else the marker's)
  std::string history_id;      // bundle test_id / suite::nodeid; "" when no history
  std::string history_branch;  // whose runs judged it ("" = every branch's)
  std::string match = "none";  // exact | normalized | suffix | leaf | none
  bool weak_match = false;     // leaf-name or ambiguous match: never unmuted
  bool muted = false;          // an effective marker applies
  std::vector<Marker> markers;
  Verdict verdict = Verdict::no_signal;
  std::string reason;  // one line: why this verdict
  Evidence evidence;
  std::vector<RunOutcome> timeline;  // this test's runs in the window, oldest first
  MuteContext mute;                  // ticket state, age, expiry (correlate/mute_context.h)
};

struct CorrelateSummary {
  int history_tests = 0, history_matched = 0, history_unmatched = 0;
  int markers = 0, markers_effective = 0, markers_fixture = 0;
  int markers_matched = 0, markers_unmatched = 0, markers_weak = 0, markers_ambiguous = 0;
  int runs = 0;  // of the judged branch, excluded ones included
  int runs_excluded_infra = 0, runs_excluded_interrupted = 0;
  std::string history_branch;                         // whose runs were judged; "" = every branch
  std::vector<std::pair<std::string, int>> verdicts;  // verdict -> rows, fixed order
};

struct CorrelateResult {
  std::vector<VerdictRow> rows;
  CorrelateSummary summary;
  std::vector<RunInfo> runs;  // in the window and on the branch, oldest first (`excluded` set)
};

// How much evidence a verdict needs (docs/correlate.md, "Verdicts").
struct JudgeOptions {
  double confidence = 0.95;       // of the failure-rate bounds, 0 < c < 1
  double max_fail_rate = 0.05;    // unmute below it, mute above it (with `confidence`)
  int min_runs = 0;               // runs with a result before an unmute, whatever the bound
  double infra_fail_ratio = 0.8;  // a run where more of its tests failed is not evidence
  std::string history_branch;     // judge on this branch's runs ("" = the markers' branch)
};

struct CorrelateOptions {
  std::string as_of;  // UTC ISO 8601 "now" for days_muted
  JudgeOptions judge;
  std::string branch;  // the markers' branch ("" = unknown: runs of every branch count)
};

CorrelateResult correlate(const std::vector<Marker>& markers, const History& history,
                          const CorrelateOptions& options);

// Several branches' correlations as one: rows of all (by test id, then branch), counts
// added, runs once each; history_branch "" unless all share one.
CorrelateResult merge_results(std::vector<CorrelateResult> parts);

}  // namespace flakegrab::correlate
