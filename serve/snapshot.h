#pragma once
// What one refresh produces: the scans of every repo/branch (each the latest good one, or a
// failure), optionally judged against history, and every response body the server can send
// without filters, serialised and gzip-compressed once. Immutable once built, so requests
// read it without a lock and a refresh swaps a pointer.
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "correlate/correlate.h"
#include "grabber/repo.h"
#include "serve/table.h"

namespace flakegrab::serve {

// What a producer hands over on each refresh.
struct RefreshInput {
  std::vector<RefScan> scans;                 // failed ones carry RefScan::error
  std::optional<correlate::History> history;  // none: markers only, no verdict columns
  std::string as_of;                          // UTC ISO 8601 "now" for days_muted
  correlate::JudgeOptions judge;              // how much evidence a verdict needs
  // Called on each scan's correlation before it is served (ticket state, mute age...).
  std::function<void(const RefScan&, correlate::CorrelateResult&)> annotate;
};

// One repo/branch as served: the scan (absent when it never succeeded) and, when this
// refresh failed for it, the error while the previous good scan stays.
struct ScanEntry {
  RefScan scan;
  std::string error;  // empty: scanned by the latest refresh
  bool stale() const { return !error.empty() && scan.scan.has_value(); }
};

// A refresh's scans merged with the previous entries: a repo/branch that failed this time
// keeps its last good scan (with the error); one that never succeeded is a failed entry.
std::vector<ScanEntry> merge_scans(const std::vector<ScanEntry>& previous,
                                   std::vector<RefScan> fresh);

struct Body {
  std::string plain, gzip;  // gzip empty when not precomputed
  std::string etag;         // quoted strong ETag of `plain`; the gzip one adds "-gz"
  std::string content_type;
};

struct Snapshot {
  std::vector<ScanEntry> entries;
  bool has_history = false;
  std::time_t built_at = 0;
  Table markers, verdicts, summary, scans;
  // For telling an unknown filter value apart; verdict names are correlate's (its summary
  // lists every one).
  std::set<std::string> repos, branches, verdict_names;
  // Unfiltered bodies, keyed "path format" ("/markers json", "/redash json", ...).
  std::map<std::string, Body> bodies;
  // Markers by repo/branch/kind and verdict counts, for /metrics.
  std::map<std::string, std::size_t> marker_counts;  // "repo\tbranch\tkind"
  std::map<std::string, std::size_t> verdict_counts;
};

Snapshot build_snapshot(std::vector<ScanEntry> entries, const RefreshInput& input, std::time_t now);

// A body ready to send: its ETag and, above a size where it pays, its gzip form.
Body make_body(std::string plain, std::string content_type);

std::string content_type_of(Format format);

}  // namespace flakegrab::serve
