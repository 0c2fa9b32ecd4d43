#pragma once
// What one test's runs in the window say: counts, rates, the current streak and how often
// its outcome flips.
#include <cstdint>
#include <string>

#include "correlate/history.h"
#include "correlate/verdict_kind.h"

namespace flakegrab::correlate {

struct Evidence {
  int runs = 0;           // recorded runs of this test in the window
  int passes = 0;         // body passed (pass, xpass, passed-on-rerun)
  int failures = 0;       // body failed (fail, error, xfail)
  int skips = 0;          // never ran: no signal
  int flaky_runs = 0;     // passed only after a rerun
  double pass_rate = -1;  // passes / (passes + failures); -1 when there is no signal
  FlakeClass classification = FlakeClass::no_data;  // flaky runs count as failures
  // Exact one-sided bounds on the failure rate (failures and reruns of the passes + failures
  // runs with a result) at JudgeOptions::confidence; -1 when there is no run with a result.
  double fail_rate_upper = -1, fail_rate_lower = -1;
  int runs_needed = 0;    // muted: further clean runs before it may be unmuted; 0 once enough
  int runs_required = 0;  // muted: runs with a result that would be enough (have + needed)
  std::string last_status = "none";  // pass|fail|error|skip|xfail|xpass|flaky|none
  std::string last_run_id;           // "" when none
  std::string last_run_at;           // "" when unknown
  std::int64_t days_muted = -1;      // from the oldest marker `since`; -1 when unknown
  // Runs with a result, oldest first: the current streak ("pass:14", "fail:3", "flaky:1"; ""
  // when none) and outcome changes / (runs - 1) between pass, fail and flaky (-1 below 2 runs).
  std::string streak;
  double flip_rate = -1;
  // Broken, not flaky: it passed, then failed every run since this one, a streak too long for
  // its earlier failure rate (find_broken). "" when not broken.
  std::string broken_since_run, broken_since_at, broken_since_revision;
};

// Counts, pass rate, class, last run, streak and flip rate of `t`'s runs (oldest first).
Evidence evidence_of(const TestHistory& t);

// Sets broken_since_run/_at when `t`'s runs with a result end in L failures after at least one
// pass, and L failures in a row would be unlikely (probability < 1 - confidence) at the upper
// bound of the failure rate of the runs before them: a regression, not a flake.
void find_broken(Evidence& e, const TestHistory& t, double confidence);

// The outcome class streaks and flips are counted in: "pass", "fail" or "flaky"; "" for a
// run without a result (skipped).
std::string_view result_class(Outcome o);

}  // namespace flakegrab::correlate
