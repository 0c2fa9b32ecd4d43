// Verdict rows pushed with their scan (flakegrab_verdicts) on every backend: the columns of
// correlate's csv, pruned with their scan, nothing stored when the push fails, and the
// migration from a database of schema version 2.
#include <gtest/gtest.h>

#include "correlate/report.h"
#include "history_backend.h"
#include "store/history_columns.h"
#include "store/history_schema.h"
#include "support/paths.h"

namespace flakegrab {
namespace {

using test::HistoryBackend;
using test::marker;
using test::snapshot;

correlate::VerdictRow verdict(std::string test_id, correlate::Verdict v) {
  correlate::VerdictRow r;
  r.test_id = std::move(test_id);
  r.history_id = "pytest::" + r.test_id;
  r.verdict = v;
  r.reason = "ticket closed, 14/14 clean";
  r.muted = true;
  r.match = "exact";
  r.markers = {marker(r.test_id, 10)};
  r.evidence.runs = 14;
  r.evidence.passes = 14;
  r.evidence.pass_rate = 1.0;
  r.evidence.fail_rate_upper = 0.19264507794239591;
  r.evidence.days_muted = 40;
  r.mute.ticket = {
      "DCOS-1", "closed", "Fixed", "2026-11-01T00:00:00Z", "https://jira.example/browse/DCOS-1",
      true,     false};
  r.mute.age = {"2026-10-12T08:00:00Z", std::string(40, 'e'), "2026-11-11T08:00:00Z", true};
  r.mute.audit_reasons = {"ticket_closed", "expired"};
  return r;
}

ScanSnapshot judged(std::string branch, std::string at, std::vector<std::string> ids) {
  std::vector<Marker> ms;
  for (const auto& id : ids) ms.push_back(marker(id, 10));
  auto s = snapshot(std::move(branch), std::move(at), ms);
  for (const auto& id : ids) s.verdicts.push_back(verdict(id, correlate::Verdict::unmute));
  return s;
}

// A field added to correlate's rows without a column (and a migration) fails here, not in a
// user's push.
TEST(VerdictColumns, AreCorrelatesCsvColumnsWithOneTypeEach) {
  auto expected = correlate::verdict_columns();
  auto stored = verdict_columns_stored();
  ASSERT_EQ(stored.size(), expected.size());
  for (size_t i = 0; i < stored.size(); ++i) {
    EXPECT_EQ(stored[i].name, expected[i].name) << i;
    std::string t = stored[i].type;
    switch (expected[i].type) {
      case correlate::ColumnType::string:
        EXPECT_TRUE(t.starts_with("TEXT")) << t;
        break;
      case correlate::ColumnType::integer:
        EXPECT_TRUE(t.starts_with("BIGINT")) << t;
        break;
      case correlate::ColumnType::real:
        EXPECT_TRUE(t.starts_with("DOUBLE")) << t;
        break;
      case correlate::ColumnType::boolean:
        EXPECT_TRUE(t.starts_with("INTEGER")) << t;
        break;
    }
    EXPECT_LE(stored[i].since, kSchemaVersion);
  }
}

class HistoryVerdicts : public ::testing::TestWithParam<std::string> {
 protected:
  HistoryBackend db{GetParam()};
};

TEST_P(HistoryVerdicts, OneRowPerTestPerScanWithEvidenceTicketAndAge) {
  auto sink = open_history_sink(db.target());
  auto s = sink->push({judged("main", "2026-11-20T06:00:00Z", {"t.py::a", "t.py::b"}),
                       judged("release/1", "2026-11-20T06:00:00Z", {"t.py::a"})});
  EXPECT_EQ(s.verdicts_written, 3u);
  EXPECT_EQ(db.query("SELECT branch, test_id, verdict, runs, muted, days_muted FROM"
                     " flakegrab_verdicts ORDER BY branch, test_id"),
            "main|t.py::a|unmute|14|1|40\nmain|t.py::b|unmute|14|1|40\n"
            "release/1|t.py::a|unmute|14|1|40\n");
  EXPECT_EQ(db.query("SELECT ticket_status, ticket_resolution, ticket_closed_at, ticket_url,"
                     " ticket_closed, added_at, added_in, expires_at, expired, audit_reasons,"
                     " markers, marker_locations, tickets, history_id FROM flakegrab_verdicts"
                     " WHERE branch = 'release/1'"),
            "closed|Fixed|2026-11-01T00:00:00Z|https://jira.example/browse/DCOS-1|1|"
            "2026-10-12T08:00:00Z|" +
                std::string(40, 'e') +
                "|2026-11-11T08:00:00Z|1|ticket_closed;expired|xfailflake|t.py:10|DCOS-1|"
                "pytest::t.py::a\n");
  // Rates keep their precision; absent ones are -1.
  EXPECT_EQ(db.query("SELECT count(*) FROM flakegrab_verdicts WHERE pass_rate = 1 AND"
                     " fail_rate_lower = -1"),
            "3\n");
  EXPECT_EQ(db.query("SELECT count(*) FROM flakegrab_verdicts WHERE fail_rate_upper > 0.1926450779"
                     " AND fail_rate_upper < 0.1926450780"),
            "3\n");
  // A re-pushed scan adds no verdicts; the view shows the newest scan's.
  EXPECT_EQ(sink->push({judged("main", "2026-11-20T06:00:00Z", {"t.py::a"})}).verdicts_written, 0u);
  sink->push({judged("main", "2026-11-21T06:00:00Z", {"t.py::c"})});
  EXPECT_EQ(db.query("SELECT branch, test_id FROM flakegrab_latest_verdicts ORDER BY branch"),
            "main|t.py::c\nrelease/1|t.py::a\n");
}

TEST_P(HistoryVerdicts, PrunedWithTheirScans) {
  auto sink = open_history_sink(db.target());
  sink->push({judged("main", "2020-01-01T06:00:00Z", {"t.py::a", "t.py::b"}),
              judged("main", "2020-01-02T06:00:00Z", {"t.py::a"})});
  PushOptions o;
  o.retention_days = 30;
  auto s = sink->push({judged("main", "2100-01-01T06:00:00Z", {"t.py::a"})}, o);
  EXPECT_EQ(s.pruned.scans_deleted, 2u);
  EXPECT_EQ(s.pruned.verdicts_deleted, 3u);
  EXPECT_EQ(db.query("SELECT scanned_at FROM flakegrab_verdicts"), "2100-01-01T06:00:00Z\n");
  auto p = sink->prune(1);
  EXPECT_EQ(p.verdicts_deleted, 0u);  // the newest scan of a repo/branch stays
}

TEST_P(HistoryVerdicts, AFailedPushStoresNothing) {
  auto sink = open_history_sink(db.target());
  sink->push({judged("main", "2026-11-20T06:00:00Z", {"t.py::a"})});
  // Something in the way of the verdict insert, after the scan and markers of the push went in.
  ASSERT_EQ(db.query("DROP VIEW flakegrab_latest_verdicts"), "");
  ASSERT_EQ(db.query("DROP TABLE flakegrab_verdicts"), "");
  EXPECT_THROW(sink->push({judged("main", "2026-11-21T06:00:00Z", {"t.py::a", "t.py::new"})}),
               Error);
  EXPECT_EQ(db.query("SELECT count(*) FROM flakegrab_scans"), "1\n");
  EXPECT_EQ(db.query("SELECT count(*) FROM flakegrab_markers"), "1\n");
  EXPECT_EQ(db.query("SELECT count(*) FROM flakegrab_first_seen"), "1\n");
}

// A database made by the flakegrab of schema version 2 (fixtures/history/schema-v2.sql).
TEST_P(HistoryVerdicts, MigratesADatabaseOfSchemaVersion2) {
  if (db.kind() == "redshift") GTEST_SKIP() << "the v2 fixture is SQLite/PostgreSQL DDL";
  ASSERT_EQ(db.query(test::read_file(test::fixtures_dir() / "history/schema-v2.sql")), "");
  std::string markers = db.query("SELECT count(*) FROM flakegrab_markers");
  std::string first_seen = db.query("SELECT count(*) FROM flakegrab_first_seen");
  ASSERT_EQ(db.query("SELECT max(version) FROM flakegrab_schema"), "2\n");
  auto sink = open_history_sink(db.target());
  EXPECT_EQ(db.query("SELECT max(version) FROM flakegrab_schema"),
            std::to_string(kSchemaVersion) + "\n");
  EXPECT_EQ(db.query("SELECT count(*) FROM flakegrab_markers"), markers);
  EXPECT_EQ(db.query("SELECT count(*) FROM flakegrab_first_seen"), first_seen);
  EXPECT_EQ(db.query("SELECT count(*) FROM flakegrab_verdicts"), "0\n");
  std::string repo = db.query("SELECT DISTINCT repo FROM flakegrab_scans");
  repo.pop_back();
  auto s = judged("", "2030-01-01T00:00:00Z", {"t.py::a"});
  s.repo = repo;
  sink->push({s});
  EXPECT_EQ(db.query("SELECT count(*) FROM flakegrab_latest_verdicts"), "1\n");
}

INSTANTIATE_TEST_SUITE_P(Backends, HistoryVerdicts,
                         ::testing::Values("sqlite", "postgres", "redshift"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace flakegrab
