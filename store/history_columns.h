#pragma once
// The one list of the history tables' columns: name, type per dialect, the schema version that
// added it, and how its value is read from a scan. The DDL, the migrations and the inserts of
// every backend are made from these lists.
#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "store/sql_connection.h"
#include "store/store.h"

namespace flakegrab {

struct Column {
  const char* name;
  const char* type;           // SQLite and PostgreSQL, "NOT NULL" included when required
  const char* redshift_type;  // Redshift: VARCHAR(n), since its TEXT is VARCHAR(256)
  int since;                  // the schema version that added it (0: the first schema)
};

struct ScanColumn : Column {
  SqlValue (*value)(const ScanSnapshot&);
};

struct MarkerColumn : Column {
  SqlValue (*value)(const ScanSnapshot&, const Marker&);
};

// flakegrab_scans: one row per scan, so a day with nothing muted differs from a day unscanned.
std::span<const ScanColumn> scan_columns();
// flakegrab_markers: the scan's key, then the marker's fields as in the scan document, then
// first_seen (the first scan of that repo/branch that had a marker of the same identity).
std::span<const MarkerColumn> marker_columns();

// flakegrab_verdicts: the scan's key (typed as in flakegrab_markers), then these: the columns
// of correlate's csv (correlate::verdict_columns(), a test keeps the two lists equal), values
// taken by name from correlate::flat_row.
std::span<const Column> verdict_columns_stored();
// One flat-row field as stored: text as is, booleans 1/0, numbers in full precision.
SqlValue verdict_value(const nlohmann::ordered_json& field);

// A scan's key: what makes a pushed scan unique, and joins its markers to it.
inline constexpr const char* kScanKey[] = {"scanned_at", "repo", "branch", "commit_sha"};
// A marker's identity across scans: a move to another line is the same marker.
inline constexpr const char* kMarkerIdentity[] = {"repo", "branch", "test_id", "name", "kind"};

std::string column_type(const Column& c, SqlDialect d);

// "a, b, c" for the columns of `cols` (all of them, or those added up to `version`).
template <class C>
std::string column_names(std::span<const C> cols, int version = 1 << 30) {
  std::string s;
  for (const auto& c : cols)
    if (c.since <= version) s += (s.empty() ? "" : ", ") + std::string(c.name);
  return s;
}

// "(l.a = r.a AND l.b = r.b ...)" over `names`.
std::string join_on(std::span<const char* const> names, const std::string& l, const std::string& r);

// "($first, ..., $(first+n-1))".
std::string placeholders(int first, int n);

}  // namespace flakegrab
