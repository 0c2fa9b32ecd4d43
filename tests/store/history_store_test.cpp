// The history schema and push on every backend: SQLite, and a real PostgreSQL on loopback
// spoken to as PostgreSQL and as Redshift.
#include <gtest/gtest.h>

#include "history_backend.h"
#include "store/history_schema.h"
#include "support/paths.h"

namespace flakegrab {
namespace {

using test::HistoryBackend;
using test::marker;
using test::snapshot;

class HistoryStore : public ::testing::TestWithParam<std::string> {
 protected:
  HistoryBackend db{GetParam()};
};

std::string version_sql() {
  return "SELECT max(version) FROM flakegrab_schema";
}

TEST_P(HistoryStore, FirstSeenFollowsAMarkerAcrossScans) {
  auto sink = open_history_sink(db.target());
  sink->push({snapshot(
      "main", "2026-11-20T06:00:00Z",
      {marker("tests/test_a.py::test_moved", 10), marker("tests/test_a.py::test_gone", 20),
       marker("tests/test_a.py::test_reworded", 30)})});
  // Day 2: one moved to another line (same marker), one removed, one with a new reason (same
  // identity), one added.
  auto day2 = snapshot("main", "2026-11-21T06:00:00Z",
                       {marker("tests/test_a.py::test_moved", 14),
                        marker("tests/test_a.py::test_reworded", 30, "xfailflake",
                               MarkerKind::xfail, "still flaky", "DCOS-9"),
                        marker("tests/test_a.py::test_new", 40)});
  auto summary = sink->push({day2});
  EXPECT_EQ(summary.scans_written, 1u);
  EXPECT_EQ(db.query("SELECT test_id, line, first_seen FROM flakegrab_markers WHERE scanned_at ="
                     " '2026-11-21T06:00:00Z' ORDER BY test_id"),
            "tests/test_a.py::test_moved|14|2026-11-20T06:00:00Z\n"
            "tests/test_a.py::test_new|40|2026-11-21T06:00:00Z\n"
            "tests/test_a.py::test_reworded|30|2026-11-20T06:00:00Z\n");
  // Another branch has its own first_seen; another kind is another marker.
  sink->push({snapshot("release/1", "2026-11-22T06:00:00Z",
                       {marker("tests/test_a.py::test_moved", 14),
                        marker("tests/test_a.py::test_new", 40, "skip", MarkerKind::skip)})});
  EXPECT_EQ(db.query("SELECT test_id, first_seen FROM flakegrab_markers WHERE branch = 'release/1'"
                     " ORDER BY test_id"),
            "tests/test_a.py::test_moved|2026-11-22T06:00:00Z\n"
            "tests/test_a.py::test_new|2026-11-22T06:00:00Z\n");
  EXPECT_EQ(db.query("SELECT complete FROM flakegrab_scans WHERE branch = 'release/1'"), "1\n");
  EXPECT_EQ(db.query(version_sql()), std::to_string(kSchemaVersion) + "\n");
}

TEST_P(HistoryStore, AScanPushedLateLowersFirstSeen) {
  auto sink = open_history_sink(db.target());
  sink->push({snapshot("main", "2026-11-21T06:00:00Z", {marker("t.py::a", 1)})});
  sink->push({snapshot("main", "2026-11-22T06:00:00Z", {marker("t.py::a", 1)})});
  sink->push({snapshot("main", "2026-11-19T06:00:00Z", {marker("t.py::a", 1)})});
  EXPECT_EQ(db.query("SELECT DISTINCT first_seen FROM flakegrab_markers"),
            "2026-11-19T06:00:00Z\n");
  EXPECT_EQ(db.query("SELECT first_seen FROM flakegrab_first_seen"), "2026-11-19T06:00:00Z\n");
}

// Several scans of one branch in one push (`push --from` of a month): each sees the ones before.
TEST_P(HistoryStore, FirstSeenAcrossTheScansOfOnePush) {
  auto sink = open_history_sink(db.target());
  sink->push(
      {snapshot("main", "2026-11-21T06:00:00Z", {marker("t.py::a", 1)}),
       snapshot("main", "2026-11-22T06:00:00Z", {marker("t.py::a", 1), marker("t.py::b", 2)}),
       snapshot("main", "2026-11-20T06:00:00Z", {marker("t.py::b", 2)})});
  EXPECT_EQ(db.query("SELECT scanned_at, test_id, first_seen FROM flakegrab_markers ORDER BY"
                     " scanned_at, test_id"),
            "2026-11-20T06:00:00Z|t.py::b|2026-11-20T06:00:00Z\n"
            "2026-11-21T06:00:00Z|t.py::a|2026-11-21T06:00:00Z\n"
            "2026-11-22T06:00:00Z|t.py::a|2026-11-21T06:00:00Z\n"
            "2026-11-22T06:00:00Z|t.py::b|2026-11-20T06:00:00Z\n");
  EXPECT_EQ(db.query("SELECT test_id, first_seen FROM flakegrab_first_seen ORDER BY test_id"),
            "t.py::a|2026-11-21T06:00:00Z\nt.py::b|2026-11-20T06:00:00Z\n");
}

// A database written by flakegrab before schema versions (fixtures/history/schema-v0.sql was
// made by that flakegrab: `push` of fixtures/repo twice, then `sqlite3 .dump`).
TEST_P(HistoryStore, MigratesADatabaseOfTheFirstSchema) {
  std::string sql = test::read_file(test::fixtures_dir() / "history/schema-v0.sql");
  if (db.kind() == "redshift") GTEST_SKIP() << "the v0 fixture is SQLite/PostgreSQL DDL";
  ASSERT_EQ(db.query(sql), "");
  std::string before = db.query("SELECT count(*) FROM flakegrab_markers");
  std::string first = db.query("SELECT min(scanned_at) FROM flakegrab_scans");
  ASSERT_NE(before, "0\n");

  auto sink = open_history_sink(db.target());
  EXPECT_EQ(db.query(version_sql()), std::to_string(kSchemaVersion) + "\n");
  EXPECT_EQ(db.query("SELECT count(*) FROM flakegrab_markers"), before);
  EXPECT_EQ(db.query("SELECT count(*) FROM flakegrab_markers WHERE first_seen IS NULL"), "0\n");
  EXPECT_EQ(db.query("SELECT DISTINCT first_seen FROM flakegrab_markers"), first);
  EXPECT_EQ(db.query("SELECT count(*) FROM flakegrab_scans WHERE complete IS NULL"),
            db.query("SELECT count(*) FROM flakegrab_scans"));

  // A push after the migration keeps the old first_seen of a marker still there.
  std::string repo = db.query("SELECT repo FROM flakegrab_scans LIMIT 1");
  repo.pop_back();
  std::string id =
      db.query("SELECT test_id FROM flakegrab_markers WHERE name = 'xfailflake' LIMIT 1");
  ASSERT_FALSE(id.empty());
  id.pop_back();
  auto s = snapshot("", "2030-01-01T00:00:00Z", {marker(id, 1)});
  s.repo = repo;
  s.commit = "";
  sink->push({s});
  EXPECT_EQ(db.query("SELECT first_seen FROM flakegrab_markers WHERE scanned_at = "
                     "'2030-01-01T00:00:00Z'"),
            first);
  // Opening again migrates nothing.
  open_history_sink(db.target());
  EXPECT_EQ(db.query("SELECT count(*) FROM flakegrab_schema"),
            std::to_string(kSchemaVersion) + "\n");
}

TEST_P(HistoryStore, AFailedMigrationChangesNothing) {
  std::string sql = test::read_file(test::fixtures_dir() / "history/schema-v0.sql");
  if (db.kind() == "redshift") GTEST_SKIP() << "the v0 fixture is SQLite/PostgreSQL DDL";
  ASSERT_EQ(db.query(sql), "");
  // Something of the user's in the way of migration 1, after its first steps ran.
  ASSERT_EQ(db.query("CREATE TABLE flakegrab_first_seen (mine INTEGER)"), "");
  EXPECT_THROW(open_history_sink(db.target()), Error);
  std::string added = db.query("SELECT count(*) FROM flakegrab_markers WHERE first_seen IS NULL");
  EXPECT_TRUE(added.starts_with("error: ")) << "first_seen was added and kept: " << added;
  EXPECT_TRUE(db.query(version_sql()).starts_with("error: "));
}

TEST_P(HistoryStore, ADatabaseOfANewerSchemaIsRefusedUntouched) {
  open_history_sink(db.target())
      ->push({snapshot("main", "2026-11-20T06:00:00Z", {marker("t.py::a", 1)})});
  ASSERT_EQ(db.query("INSERT INTO flakegrab_schema (version, migrated_at) VALUES (99, 'later')"),
            "");
  try {
    open_history_sink(db.target());
    FAIL() << "opened a newer schema";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("version 99"), std::string::npos) << msg;
    EXPECT_NE(msg.find("newer"), std::string::npos) << msg;
  }
  auto r = test::run_cli(
      {"push", "--db", db.target(), "--dir", (test::fixtures_dir() / "repo").string()}, db.env());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("newer than this flakegrab"), std::string::npos) << r.err;
  EXPECT_EQ(db.query("SELECT count(*) FROM flakegrab_scans"), "1\n");
}

INSTANTIATE_TEST_SUITE_P(Backends, HistoryStore,
                         ::testing::Values("sqlite", "postgres", "redshift"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace flakegrab
