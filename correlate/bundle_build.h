#pragma once
// Folds a per-test history (from JUnit reports) into a v1 bundle.
#include <cstdint>
#include <string>

#include "correlate/bundle_model.h"
#include "correlate/history.h"

namespace flakegrab::correlate {

struct BundleOptions {
  std::string generated_at;  // UTC ISO 8601
  std::string generator_version;
  std::int64_t retention_days = 0;             // 0: omit
  std::string source_revision, source_branch;  // "" : omit
};

// pass/xpass/flaky runs are passing runs (flaky ones also listed in rerun_run_ids), fail/
// error/xfail runs are failing runs, skipped runs are listed in skipped_run_ids only.
Bundle bundle_from_history(const History& history, const BundleOptions& options);

}  // namespace flakegrab::correlate
