#pragma once
// Retention: old scans go with their markers (and verdicts); first_seen stays.
#include <cstddef>
#include <cstdint>

#include "store/sql_connection.h"

namespace flakegrab {

struct PruneSummary {
  std::size_t scans_deleted = 0;
  std::size_t markers_deleted = 0;
  std::size_t verdicts_deleted = 0;
};

// Deletes the scans older than `keep_days` days before `now` (epoch seconds) with their rows,
// except the newest scan of each repo/branch, which is always kept. Runs in the caller's
// transaction; flakegrab_first_seen is not touched, so first_seen survives.
PruneSummary prune_history(SqlConnection& c, int keep_days, std::int64_t now);

}  // namespace flakegrab
