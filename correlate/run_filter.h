#pragma once
// Which runs are evidence: those of the branch being judged (runs without a branch count for
// every branch), less interrupted runs and infrastructure failures (most of the suite failed).
#include <string>

#include "correlate/history.h"

namespace flakegrab::correlate {

struct RunFilter {
  std::string branch;             // "" = every branch
  double infra_fail_ratio = 0.8;  // a run where more than this share of tests failed
};

// Runs with fewer tests with a result than this are never called infrastructure failures.
inline constexpr int kInfraMinTests = 3;

struct FilteredHistory {
  History evidence;            // the runs and per-test outcomes that count
  std::vector<RunInfo> shown;  // the branch's runs, excluded ones with `excluded` set
  int excluded_infra = 0, excluded_interrupted = 0;
};

FilteredHistory filter_runs(const History& h, const RunFilter& filter);

}  // namespace flakegrab::correlate
