#include "store/history_columns.h"

namespace flakegrab {
namespace {

SqlValue text(std::string_view s) {
  return std::string(s);
}
SqlValue number(std::int64_t n) {
  return std::to_string(n);
}
SqlValue flag(bool b) {
  return b ? "1" : "0";
}

using S = const ScanSnapshot&;
using M = const Marker&;

// clang-format off
const ScanColumn kScanColumns[] = {
    {{"scanned_at",   "TEXT NOT NULL",   "VARCHAR(32) NOT NULL",   0}, [](S s) { return text(s.scan.scanned_at); }},
    {{"repo",         "TEXT NOT NULL",   "VARCHAR(4096) NOT NULL", 0}, [](S s) { return text(s.repo); }},
    {{"branch",       "TEXT NOT NULL",   "VARCHAR(1024) NOT NULL", 0}, [](S s) { return text(s.branch); }},
    {{"commit_sha",   "TEXT NOT NULL",   "VARCHAR(64) NOT NULL",   0}, [](S s) { return text(s.commit); }},
    {{"files_seen",   "BIGINT NOT NULL", "BIGINT NOT NULL",        0}, [](S s) { return number(s.scan.stats.files_seen); }},
    {{"files_parsed", "BIGINT NOT NULL", "BIGINT NOT NULL",        0}, [](S s) { return number(s.scan.stats.files_parsed); }},
    {{"parse_errors", "BIGINT NOT NULL", "BIGINT NOT NULL",        0}, [](S s) { return number(s.scan.stats.parse_errors); }},
    {{"markers",      "BIGINT NOT NULL", "BIGINT NOT NULL",        0}, [](S s) { return number(static_cast<std::int64_t>(s.scan.markers.size())); }},
    // NULL on scans pushed before version 1: not known.
    {{"complete",     "INTEGER",         "INTEGER",                1}, [](S s) { return flag(s.scan.complete); }},
};

const MarkerColumn kMarkerColumns[] = {
    {{"scanned_at", "TEXT NOT NULL",    "VARCHAR(32) NOT NULL",    0}, [](S s, M) { return text(s.scan.scanned_at); }},
    {{"repo",       "TEXT NOT NULL",    "VARCHAR(4096) NOT NULL",  0}, [](S s, M) { return text(s.repo); }},
    {{"branch",     "TEXT NOT NULL",    "VARCHAR(1024) NOT NULL",  0}, [](S s, M) { return text(s.branch); }},
    {{"commit_sha", "TEXT NOT NULL",    "VARCHAR(64) NOT NULL",    0}, [](S s, M) { return text(s.commit); }},
    {{"test_id",    "TEXT NOT NULL",    "VARCHAR(65535) NOT NULL", 0}, [](S, M m) { return text(m.test_id); }},
    {{"file",       "TEXT NOT NULL",    "VARCHAR(4096) NOT NULL",  0}, [](S, M m) { return text(m.file); }},
    {{"line",       "INTEGER NOT NULL", "INTEGER NOT NULL",        0}, [](S, M m) { return number(m.line); }},
    {{"name",       "TEXT NOT NULL",    "VARCHAR(256) NOT NULL",   0}, [](S, M m) { return text(m.name); }},
    {{"kind",       "TEXT NOT NULL",    "VARCHAR(16) NOT NULL",    0}, [](S, M m) { return text(to_string(m.kind)); }},
    {{"scope",      "TEXT NOT NULL",    "VARCHAR(16) NOT NULL",    0}, [](S, M m) { return text(to_string(m.scope)); }},
    {{"reason",     "TEXT",             "VARCHAR(65535)",          0}, [](S, M m) { return m.reason; }},
    {{"ticket",     "TEXT",             "VARCHAR(1024)",           0}, [](S, M m) { return m.ticket; }},
    {{"since",      "TEXT",             "VARCHAR(256)",            0}, [](S, M m) { return m.since; }},
    {{"strict",     "INTEGER",          "INTEGER",                 0}, [](S, M m) { return m.strict ? flag(*m.strict) : SqlValue(); }},
    {{"condition",  "TEXT",             "VARCHAR(65535)",          0}, [](S, M m) { return m.condition; }},
    {{"effective",  "INTEGER NOT NULL", "INTEGER NOT NULL",        0}, [](S, M m) { return flag(m.effective); }},
    {{"args",       "TEXT NOT NULL",    "VARCHAR(65535) NOT NULL", 0}, [](S, M m) { return text(to_json(m).at("args").dump()); }},
    // Written as the scan's own time, then lowered to the first scan that had the marker.
    {{"first_seen", "TEXT",             "VARCHAR(32)",             1}, [](S s, M) { return text(s.scan.scanned_at); }},
};
// clang-format on

}  // namespace

std::span<const ScanColumn> scan_columns() {
  return kScanColumns;
}

std::span<const MarkerColumn> marker_columns() {
  return kMarkerColumns;
}

std::string column_type(const Column& c, SqlDialect d) {
  return d == SqlDialect::redshift ? c.redshift_type : c.type;
}

std::string join_on(std::span<const char* const> names, const std::string& l,
                    const std::string& r) {
  std::string s = "(";
  for (const char* n : names) {
    if (s.size() > 1) s += " AND ";
    s += l + "." + n + " = " + r + "." + n;
  }
  return s + ")";
}

std::string placeholders(int first, int n) {
  std::string s = "(";
  for (int i = 0; i < n; ++i) s += (i ? ", $" : "$") + std::to_string(first + i);
  return s + ")";
}

}  // namespace flakegrab
