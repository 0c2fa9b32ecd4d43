#include "store/history_prune.h"

#include <string>

#include "base/iso8601.h"

namespace flakegrab {
namespace {

// Rows of `table` whose scan is older than $1 and not the newest of its repo/branch.
std::string delete_old(const std::string& table) {
  return "DELETE FROM " + table + " WHERE scanned_at < $1 AND EXISTS (SELECT 1 FROM" +
         " flakegrab_scans n WHERE n.repo = " + table + ".repo AND n.branch = " + table +
         ".branch AND n.scanned_at > " + table + ".scanned_at)";
}

}  // namespace

PruneSummary prune_history(SqlConnection& c, int keep_days, std::int64_t now) {
  std::string cutoff = format_iso8601(now - static_cast<std::int64_t>(keep_days) * 86400);
  PruneSummary s;
  s.markers_deleted = c.query(delete_old("flakegrab_markers"), {cutoff}).changes;
  s.verdicts_deleted = c.query(delete_old("flakegrab_verdicts"), {cutoff}).changes;
  // Scans last: the rows above find their newer scan through this table.
  s.scans_deleted = c.query(delete_old("flakegrab_scans"), {cutoff}).changes;
  return s;
}

}  // namespace flakegrab
