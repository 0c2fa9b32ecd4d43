#include "store/history_schema.h"

#include <string>

#include "base/error.h"
#include "base/iso8601.h"
#include "store/history_columns.h"

namespace flakegrab {
namespace {

bool table_exists(SqlConnection& c, const std::string& name) {
  std::string sql =
      c.dialect() == SqlDialect::sqlite
          ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1"
          : "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
            " AND table_name = $1";
  return scalar(c.query(sql, {name})) != "0";
}

int current_version(SqlConnection& c) {
  if (table_exists(c, "flakegrab_schema"))
    return std::stoi(scalar(c.query("SELECT max(version) FROM flakegrab_schema")));
  return table_exists(c, "flakegrab_scans") ? 0 : -1;
}

template <class C>
std::string create_table(const char* table, std::span<const C> cols, SqlDialect d,
                         const std::string& extra) {
  std::string sql = std::string("CREATE TABLE ") + table + " (";
  bool first = true;
  for (const auto& col : cols) {
    if (col.since > 0) continue;
    sql += (first ? "\n  " : ",\n  ") + std::string(col.name) + " " + column_type(col, d);
    first = false;
  }
  return sql + extra + "\n)";
}

template <class C>
void add_columns(SqlConnection& c, const char* table, std::span<const C> cols, int version) {
  for (const auto& col : cols)
    if (col.since == version)
      c.exec_script(std::string("ALTER TABLE ") + table + " ADD COLUMN " + col.name + " " +
                    column_type(col, c.dialect()));
}

std::string identity_type(const char* name, SqlDialect d) {
  for (const auto& col : marker_columns())
    if (std::string_view(col.name) == name) return column_type(col, d);
  throw Error(std::string("internal: no marker column ") + name);
}

// Version 0: the schema flakegrab wrote before versions existed, kept as it was.
void create_v0(SqlConnection& c) {
  SqlDialect d = c.dialect();
  c.exec_script(create_table("flakegrab_scans", scan_columns(), d,
                             ",\n  PRIMARY KEY (repo, branch, commit_sha, scanned_at)"));
  c.exec_script(create_table("flakegrab_markers", marker_columns(), d, ""));
  // Redshift has sort keys, not indexes.
  if (d != SqlDialect::redshift)
    c.exec_script(
        "CREATE INDEX flakegrab_markers_by_scan ON flakegrab_markers (repo, branch, scanned_at)");
}

void migrate_to_1(SqlConnection& c) {
  SqlDialect d = c.dialect();
  add_columns(c, "flakegrab_scans", scan_columns(), 1);
  add_columns(c, "flakegrab_markers", marker_columns(), 1);
  std::string sql = "CREATE TABLE flakegrab_first_seen (";
  for (const char* n : kMarkerIdentity)
    sql += std::string("\n  ") + n + " " + identity_type(n, d) + ",";
  sql += std::string("\n  first_seen ") + (d == SqlDialect::redshift ? "VARCHAR(32)" : "TEXT") +
         " NOT NULL\n)";
  c.exec_script(sql);
  // PostgreSQL's btree keys are capped near 2.7 kB and a parametrized test id may be longer; a
  // hash index has no such cap and the lookups are equality only.
  if (d == SqlDialect::sqlite)
    c.exec_script(
        "CREATE INDEX flakegrab_first_seen_by_test ON flakegrab_first_seen (repo, branch, "
        "test_id)");
  if (d == SqlDialect::postgres)
    c.exec_script(
        "CREATE INDEX flakegrab_first_seen_by_test ON flakegrab_first_seen USING hash (test_id)");
  // Markers pushed before: first seen in the earliest scan still stored that had them.
  c.exec_script(
      "INSERT INTO flakegrab_first_seen (repo, branch, test_id, name, kind, first_seen)"
      " SELECT repo, branch, test_id, name, kind, min(scanned_at) FROM flakegrab_markers"
      " GROUP BY repo, branch, test_id, name, kind");
  c.exec_script(
      "UPDATE flakegrab_markers SET first_seen = f.first_seen FROM flakegrab_first_seen f WHERE " +
      join_on(kMarkerIdentity, "flakegrab_markers", "f"));
  c.exec_script(std::string("CREATE TABLE flakegrab_schema (version INTEGER NOT NULL, "
                            "migrated_at ") +
                (d == SqlDialect::redshift ? "VARCHAR(32)" : "TEXT") + " NOT NULL)");
}

// Views for dashboards (Redash) to select from directly. Their column lists are spelled out:
// a migration that adds a marker column recreates flakegrab_latest_markers.
void migrate_to_2(SqlConnection& c) {
  std::string cols;
  for (const auto& col : marker_columns())
    cols += (cols.empty() ? "m." : ", m.") + std::string(col.name);
  c.exec_script("CREATE VIEW flakegrab_latest_markers AS SELECT " + cols +
                " FROM flakegrab_markers m JOIN (SELECT repo, branch, max(scanned_at) AS"
                " last_scan FROM flakegrab_scans GROUP BY repo, branch) l ON m.repo = l.repo AND"
                " m.branch = l.branch AND m.scanned_at = l.last_scan");
  // The original tool's rows: xfailflake markers only, test = the pytest node id, since from
  // the marker or else the day it was first seen.
  c.exec_script(
      "CREATE VIEW xfailflake_history_v1 AS SELECT test_id AS test, ticket, file, repo, branch,"
      " scanned_at AS \"timestamp\", COALESCE(since, substr(first_seen, 1, 10)) AS since"
      " FROM flakegrab_markers WHERE name = 'xfailflake'");
}

// flakegrab_verdicts: push with history inputs judges each scan (one row per test), and a view of
// the newest scan's verdicts per repo/branch for dashboards.
void migrate_to_3(SqlConnection& c) {
  SqlDialect d = c.dialect();
  std::string sql = "CREATE TABLE flakegrab_verdicts (";
  std::string cols;
  for (const char* n : kScanKey) {
    sql += std::string("\n  ") + n + " " + identity_type(n, d) + ",";
    cols += (cols.empty() ? "v." : ", v.") + std::string(n);
  }
  bool first = true;
  for (const auto& col : verdict_columns_stored()) {
    if (col.since > 3) continue;
    sql += (first ? "\n  " : ",\n  ") + std::string(col.name) + " " + column_type(col, d);
    cols += ", v." + std::string(col.name);
    first = false;
  }
  c.exec_script(sql + "\n)");
  if (d != SqlDialect::redshift)
    c.exec_script(
        "CREATE INDEX flakegrab_verdicts_by_scan ON flakegrab_verdicts (repo, branch, "
        "scanned_at)");
  c.exec_script("CREATE VIEW flakegrab_latest_verdicts AS SELECT " + cols +
                " FROM flakegrab_verdicts v JOIN (SELECT repo, branch, max(scanned_at) AS"
                " last_scan FROM flakegrab_scans GROUP BY repo, branch) l ON v.repo = l.repo AND"
                " v.branch = l.branch AND v.scanned_at = l.last_scan");
}

using Migration = void (*)(SqlConnection&);
// kMigrations[v - 1] brings version v - 1 to v.
constexpr Migration kMigrations[] = {migrate_to_1, migrate_to_2, migrate_to_3};
static_assert(std::size(kMigrations) == kSchemaVersion);

}  // namespace

int ensure_schema(SqlConnection& c) {
  SqlTransaction tx(c);
  int found = current_version(c);
  if (found > kSchemaVersion)
    throw Error(c.describe() + ": the history schema is version " + std::to_string(found) +
                ", newer than this flakegrab knows (" + std::to_string(kSchemaVersion) +
                "); use a newer flakegrab (nothing was changed)");
  if (found == kSchemaVersion) return found;  // rolled back: nothing to do
  if (found < 0) create_v0(c);
  std::string now = utc_now_iso8601();
  for (int v = std::max(found, 0) + 1; v <= kSchemaVersion; ++v) {
    kMigrations[v - 1](c);
    c.query("INSERT INTO flakegrab_schema (version, migrated_at) VALUES ($1, $2)",
            {std::to_string(v), now});
  }
  tx.commit();
  return found;
}

}  // namespace flakegrab
