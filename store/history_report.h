#pragma once
// `flakegrab history` output: scan days (json, ndjson, csv, markdown) and one test's timeline.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/history_read.h"

namespace flakegrab {

// {"repo", "branch", "date", "commit", "scanned_at", "muted": {kind: n}, "added": [marker...],
//  "removed": [marker...], "changed": [{...marker, "was": {marker}}]}, markers in the scan
// document's shape.
nlohmann::ordered_json to_json(const HistoryDay& d);
nlohmann::ordered_json to_json(const MutingSpan& s);

// format: json ({"days": [...]}), ndjson (one day a line), csv (one day a row: counts by kind,
// and the test ids added, removed and changed joined with ';'), markdown (per repo/branch a table
// of tests x days, each cell the kinds muting the test that day).
std::string render_history(const std::vector<HistoryDay>& days, const std::string& format,
                           bool pretty);
// format: json ({"test_id", "timeline": [...]}), ndjson, csv, markdown (one row per stretch).
std::string render_timeline(const std::string& test_id, const std::vector<MutingSpan>& spans,
                            const std::string& format, bool pretty);

}  // namespace flakegrab
