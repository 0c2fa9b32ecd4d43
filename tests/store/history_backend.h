#pragma once
// Where a history test runs: a SQLite file in a scratch directory, or a fresh database on one
// real PostgreSQL server (started on loopback once per test process), spoken to as PostgreSQL
// or as Redshift.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/store.h"
#include "support/pg_server.h"
#include "support/process.h"

namespace flakegrab::test {

class HistoryBackend {
 public:
  explicit HistoryBackend(std::string kind);  // "sqlite", "postgres" or "redshift"
  const std::string& kind() const { return kind_; }
  // The --db TARGET.
  std::string target() const;
  // PostgreSQL: the database's name on server().
  const std::string& database() const { return database_; }
  // Runs one SQL statement (several when no rows are wanted) behind flakegrab's back; rows as
  // "a|b\n" text (NULL as "NULL"), or "error: ..." when it fails.
  std::string query(const std::string& sql) const;
  // Environment for a CLI run against target() (PGPASSWORD).
  std::map<std::string, std::string> env() const;
  // The shared server (started on first use); null for SQLite.
  static PgServer& server();

 private:
  std::string kind_;
  std::unique_ptr<TempDir> dir_;  // SQLite
  std::string database_;          // PostgreSQL
};

// Test data: a marker and a scan of https://example.invalid/org/repo.git.
Marker marker(std::string test_id, int line, std::string name = "xfailflake",
              MarkerKind kind = MarkerKind::xfail, std::optional<std::string> reason = "flaky",
              std::optional<std::string> ticket = "DCOS-1");
ScanSnapshot snapshot(std::string branch, std::string scanned_at, std::vector<Marker> markers);

}  // namespace flakegrab::test
