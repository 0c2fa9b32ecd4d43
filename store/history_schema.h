#pragma once
// The history tables, shared by every SQL backend: one row per scan (so a day on which nothing
// was muted is told apart from a day with no scan) and one row per marker found by that scan.

namespace flakegrab {

inline constexpr const char* kHistorySchemaSql = R"sql(
CREATE TABLE IF NOT EXISTS flakegrab_scans (
  scanned_at   TEXT    NOT NULL,
  repo         TEXT    NOT NULL,
  branch       TEXT    NOT NULL,
  commit_sha   TEXT    NOT NULL,
  files_seen   BIGINT  NOT NULL,
  files_parsed BIGINT  NOT NULL,
  parse_errors BIGINT  NOT NULL,
  markers      BIGINT  NOT NULL,
  PRIMARY KEY (repo, branch, commit_sha, scanned_at)
);
CREATE TABLE IF NOT EXISTS flakegrab_markers (
  scanned_at   TEXT    NOT NULL,
  repo         TEXT    NOT NULL,
  branch       TEXT    NOT NULL,
  commit_sha   TEXT    NOT NULL,
  test_id      TEXT    NOT NULL,
  file         TEXT    NOT NULL,
  line         INTEGER NOT NULL,
  name         TEXT    NOT NULL,
  kind         TEXT    NOT NULL,
  scope        TEXT    NOT NULL,
  reason       TEXT,
  ticket       TEXT,
  since        TEXT,
  strict       INTEGER,
  condition    TEXT,
  effective    INTEGER NOT NULL,
  args         TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS flakegrab_markers_by_scan
  ON flakegrab_markers (repo, branch, scanned_at);
)sql";

inline constexpr const char* kInsertScanSql =
    "INSERT INTO flakegrab_scans (scanned_at, repo, branch, commit_sha, files_seen, files_parsed,"
    " parse_errors, markers) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING";

inline constexpr const char* kInsertMarkerSql =
    "INSERT INTO flakegrab_markers (scanned_at, repo, branch, commit_sha, test_id, file, line,"
    " name, kind, scope, reason, ticket, since, strict, condition, effective, args)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";

}  // namespace flakegrab
