#pragma once
// Joins markers with history and says per test: unmute, keep, mute, fix, orphan, no_signal,
// ok, or ignored (a marker pytest ignores: on a fixture or a redefined test; it mutes nothing).
#include <cstdint>
#include <string>
#include <vector>

#include "correlate/history.h"
#include "correlate/mute_context.h"
#include "grabber/grabber.h"

namespace flakegrab::correlate {

struct Evidence {
  int runs = 0;           // recorded runs of this test in the window
  int passes = 0;         // body passed (pass, xpass, passed-on-rerun)
  int failures = 0;       // body failed (fail, error, xfail)
  int skips = 0;          // never ran: no signal
  int flaky_runs = 0;     // passed only after a rerun
  double pass_rate = -1;  // passes / (passes + failures); -1 when there is no signal
  std::string classification = "no_data";  // contract classes; flaky runs count as failures
  std::string last_status = "none";        // pass|fail|error|skip|xfail|xpass|flaky|none
  std::string last_run_id;                 // "" when none
  std::string last_run_at;                 // "" when unknown
  std::int64_t days_muted = -1;            // from the oldest marker `since`; -1 when unknown
};

struct VerdictRow {
  std::string test_id;         // pytest node id (history's, else the marker's)
  std::string history_id;      // bundle test_id / suite::nodeid; "" when no history
  std::string match = "none";  // exact | normalized | suffix | leaf | none
  bool weak_match = false;     // leaf-name or ambiguous match: never unmuted
  bool muted = false;          // an effective marker applies
  std::vector<Marker> markers;
  std::string verdict;
  std::string reason;  // one line: why this verdict
  Evidence evidence;
  std::vector<RunOutcome> timeline;  // this test's runs in the window, oldest first
  MuteContext mute;                  // ticket state, age, expiry (correlate/mute_context.h)
};

struct CorrelateSummary {
  int history_tests = 0, history_matched = 0, history_unmatched = 0;
  int markers = 0, markers_effective = 0, markers_fixture = 0;
  int markers_matched = 0, markers_unmatched = 0, markers_weak = 0, markers_ambiguous = 0;
  int runs = 0;
  std::vector<std::pair<std::string, int>> verdicts;  // verdict -> rows, fixed order
};

struct CorrelateResult {
  std::vector<VerdictRow> rows;
  CorrelateSummary summary;
  std::vector<RunInfo> runs;  // in the window, oldest first
};

struct CorrelateOptions {
  std::string as_of;  // UTC ISO 8601 "now" for days_muted
};

CorrelateResult correlate(const std::vector<Marker>& markers, const History& history,
                          const CorrelateOptions& options);

}  // namespace flakegrab::correlate
