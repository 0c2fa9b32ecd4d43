#include "store/history_columns.h"

#include <charconv>

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

// Version 3. Redshift sizes: free text 64 KiB, identifiers and enums short.
const Column kVerdictColumns[] = {
    {"test_id",               "TEXT NOT NULL",             "VARCHAR(65535) NOT NULL", 3},
    {"history_id",            "TEXT NOT NULL",             "VARCHAR(65535) NOT NULL", 3},
    {"verdict",               "TEXT NOT NULL",             "VARCHAR(16) NOT NULL",    3},
    {"reason",                "TEXT NOT NULL",             "VARCHAR(65535) NOT NULL", 3},
    {"muted",                 "INTEGER NOT NULL",          "INTEGER NOT NULL",        3},
    {"match",                 "TEXT NOT NULL",             "VARCHAR(16) NOT NULL",    3},
    {"weak_match",            "INTEGER NOT NULL",          "INTEGER NOT NULL",        3},
    {"history_branch",        "TEXT NOT NULL",             "VARCHAR(1024) NOT NULL",  3},
    {"markers",               "TEXT NOT NULL",             "VARCHAR(65535) NOT NULL", 3},
    {"marker_locations",      "TEXT NOT NULL",             "VARCHAR(65535) NOT NULL", 3},
    {"tickets",               "TEXT NOT NULL",             "VARCHAR(65535) NOT NULL", 3},
    {"runs",                  "BIGINT NOT NULL",           "BIGINT NOT NULL",         3},
    {"passes",                "BIGINT NOT NULL",           "BIGINT NOT NULL",         3},
    {"failures",              "BIGINT NOT NULL",           "BIGINT NOT NULL",         3},
    {"skips",                 "BIGINT NOT NULL",           "BIGINT NOT NULL",         3},
    {"flaky_runs",            "BIGINT NOT NULL",           "BIGINT NOT NULL",         3},
    {"pass_rate",             "DOUBLE PRECISION NOT NULL", "DOUBLE PRECISION NOT NULL", 3},
    {"fail_rate_upper",       "DOUBLE PRECISION NOT NULL", "DOUBLE PRECISION NOT NULL", 3},
    {"fail_rate_lower",       "DOUBLE PRECISION NOT NULL", "DOUBLE PRECISION NOT NULL", 3},
    {"runs_needed",           "BIGINT NOT NULL",           "BIGINT NOT NULL",         3},
    {"runs_required",         "BIGINT NOT NULL",           "BIGINT NOT NULL",         3},
    {"classification",        "TEXT NOT NULL",             "VARCHAR(32) NOT NULL",    3},
    {"streak",                "TEXT NOT NULL",             "VARCHAR(64) NOT NULL",    3},
    {"flip_rate",             "DOUBLE PRECISION NOT NULL", "DOUBLE PRECISION NOT NULL", 3},
    {"broken_since_run",      "TEXT NOT NULL",             "VARCHAR(4096) NOT NULL",  3},
    {"broken_since_at",       "TEXT NOT NULL",             "VARCHAR(32) NOT NULL",    3},
    {"broken_since_revision", "TEXT NOT NULL",             "VARCHAR(256) NOT NULL",   3},
    {"last_status",           "TEXT NOT NULL",             "VARCHAR(16) NOT NULL",    3},
    {"last_run_id",           "TEXT NOT NULL",             "VARCHAR(4096) NOT NULL",  3},
    {"last_run_at",           "TEXT NOT NULL",             "VARCHAR(32) NOT NULL",    3},
    {"days_muted",            "BIGINT NOT NULL",           "BIGINT NOT NULL",         3},
    {"ticket_status",         "TEXT NOT NULL",             "VARCHAR(16) NOT NULL",    3},
    {"ticket_resolution",     "TEXT NOT NULL",             "VARCHAR(256) NOT NULL",   3},
    {"ticket_closed_at",      "TEXT NOT NULL",             "VARCHAR(32) NOT NULL",    3},
    {"ticket_url",            "TEXT NOT NULL",             "VARCHAR(4096) NOT NULL",  3},
    {"ticket_closed",         "INTEGER NOT NULL",          "INTEGER NOT NULL",        3},
    {"added_at",              "TEXT NOT NULL",             "VARCHAR(32) NOT NULL",    3},
    {"added_in",              "TEXT NOT NULL",             "VARCHAR(64) NOT NULL",    3},
    {"expires_at",            "TEXT NOT NULL",             "VARCHAR(32) NOT NULL",    3},
    {"expired",               "INTEGER NOT NULL",          "INTEGER NOT NULL",        3},
    {"audit_reasons",         "TEXT NOT NULL",             "VARCHAR(1024) NOT NULL",  3},
};
// clang-format on

}  // namespace

std::span<const Column> verdict_columns_stored() {
  return kVerdictColumns;
}

SqlValue verdict_value(const nlohmann::ordered_json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return flag(v.get<bool>());
  if (v.is_number_float()) {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v.get<double>());
    return std::string(buf, r.ptr);
  }
  if (v.is_number()) return v.dump();
  return std::nullopt;  // a field flat_row does not have (checked by the column test)
}

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
