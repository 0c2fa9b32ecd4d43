#include <sqlite3.h>

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "store/store.h"
#include "support/paths.h"
#include "support/process.h"

namespace flakegrab {
namespace {

ScanSnapshot snapshot(std::string branch, std::string scanned_at, std::vector<std::string> ids) {
  ScanSnapshot s{
      "https://example.invalid/org/repo.git", std::move(branch), std::string(40, 'a'), {}};
  s.scan.scanned_at = std::move(scanned_at);
  s.scan.stats.files_seen = 3;
  for (auto& id : ids) {
    Marker m;
    m.test_id = id;
    m.file = "tests/test_a.py";
    m.line = 7;
    m.name = "xfailflake";
    m.kind = MarkerKind::xfail;
    m.ticket = "DCOS-1";
    m.args = {{"jira", "'DCOS-1'"}};
    s.scan.markers.push_back(m);
  }
  return s;
}

std::int64_t count(const std::filesystem::path& db, const char* sql) {
  sqlite3* h = nullptr;
  EXPECT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(h, sql, -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(h);
  std::int64_t n = -1;
  if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(h);
  return n;
}

TEST(SqliteSink, WritesScansAndMarkersAndRepushIsANoOp) {
  test::TempDir dir;
  auto db = dir / "history.db";
  auto sink = open_history_sink("sqlite:" + db.string());
  std::vector<ScanSnapshot> batch{snapshot("main", "2026-11-20T00:00:00Z", {"t::a", "t::b"}),
                                  snapshot("release/1", "2026-11-20T00:00:00Z", {})};
  auto first = sink->push(batch);
  EXPECT_EQ(first.scans_written, 2u);
  EXPECT_EQ(first.markers_written, 2u);
  auto again = sink->push(batch);
  EXPECT_EQ(again.scans_written, 0u);
  EXPECT_EQ(again.scans_already_present, 2u);
  EXPECT_EQ(count(db, "SELECT count(*) FROM flakegrab_scans"), 2);
  EXPECT_EQ(count(db, "SELECT count(*) FROM flakegrab_markers"), 2);
  EXPECT_EQ(count(db,
                  "SELECT count(*) FROM flakegrab_markers WHERE ticket = 'DCOS-1' AND "
                  "kind = 'xfail' AND strict IS NULL AND args = '{\"jira\":\"''DCOS-1''\"}'"),
            2);
}

TEST(SqliteSink, FailedPushWritesNothing) {
  test::TempDir dir;
  auto db = dir / "history.db";
  open_history_sink(db.string())->push({snapshot("main", "2026-11-19T00:00:00Z", {"t::old"})});
  {
    // A real failure inside the transaction: the database itself refuses one row.
    sqlite3* h = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(h,
                           "CREATE TRIGGER refuse BEFORE INSERT ON flakegrab_markers "
                           "WHEN NEW.test_id = 't::boom' BEGIN SELECT RAISE(ABORT, 'refused'); END",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(h);
  }
  auto sink = open_history_sink(db.string());
  std::vector<ScanSnapshot> batch{snapshot("main", "2026-11-20T00:00:00Z", {"t::a"}),
                                  snapshot("dev", "2026-11-20T00:00:00Z", {"t::b", "t::boom"})};
  try {
    sink->push(batch);
    FAIL() << "push should have failed";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("history.db"), std::string::npos) << e.what();
  }
  EXPECT_EQ(count(db, "SELECT count(*) FROM flakegrab_scans"), 1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM flakegrab_markers"), 1);
}

TEST(SqliteSink, UnopenablePathIsAClearError) {
  test::TempDir dir;
  try {
    open_history_sink((dir / "no/such/dir/h.db").string());
    FAIL() << "should not open";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no/such/dir/h.db"), std::string::npos) << e.what();
  }
}

TEST(SqliteSink, AConcurrentWriterIsWaitedFor) {
  test::TempDir dir;
  auto db = dir / "history.db";
  open_history_sink(db.string());
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(h, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto push = std::async(std::launch::async, [&] {
    return test::run_cli(
        {"push", "--db", db.string(), "--dir", (test::fixtures_dir() / "repo").string()});
  });
  // Another writer holds the lock for longer than a push takes.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(push.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
  ASSERT_EQ(sqlite3_exec(h, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(h);
  auto r = push.get();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(count(db, "SELECT count(*) FROM flakegrab_scans"), 1);
}

TEST(SqliteSink, AnUnsupportedSchemeIsNamed) {
  auto r = test::run_cli({"push", "--db", "mysql://root:hunter2@db.example/flakes", "--dir",
                          (test::fixtures_dir() / "repo").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unsupported database scheme 'mysql'"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("hunter2"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("SQLite"), std::string::npos) << r.err;
}

TEST(SqliteSink, SecretsInAPostgresUrlAreNotEchoed) {
  try {
    open_history_sink("postgresql://user:hunter2@127.0.0.1/db");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos);
  }
}

}  // namespace
}  // namespace flakegrab
