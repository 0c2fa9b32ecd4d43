// Reading the history back, retention and the dashboard views, on every backend.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/iso8601.h"
#include "history_backend.h"
#include "store/history_report.h"
#include "support/paths.h"

namespace flakegrab {
namespace {

using test::HistoryBackend;
using test::marker;
using test::snapshot;

HistoryQuery query(std::string HistoryQuery::*field, std::string value) {
  HistoryQuery q;
  q.*field = std::move(value);
  return q;
}

class HistoryRead : public ::testing::TestWithParam<std::string> {
 protected:
  HistoryBackend db{GetParam()};
};

// Day 1: moved, gone, reworded. Day 2: moved to another line, gone removed, reworded with a
// new reason and ticket, new added.
void push_two_days(HistorySink& sink) {
  sink.push(
      {snapshot("main", "2026-11-20T06:00:00Z",
                {marker("t.py::moved", 10), marker("t.py::gone", 20, "skip", MarkerKind::skip),
                 marker("t.py::reworded", 30)})});
  sink.push({snapshot(
      "main", "2026-11-21T06:00:00Z",
      {marker("t.py::moved", 14),
       marker("t.py::reworded", 30, "xfailflake", MarkerKind::xfail, "still flaky", "DCOS-9"),
       marker("t.py::new", 40)})});
}

TEST_P(HistoryRead, AddedRemovedChangedBetweenScanDays) {
  auto sink = open_history_sink(db.target());
  push_two_days(*sink);
  auto days = sink->days({});
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[0].date, "2026-11-20");
  EXPECT_EQ(days[0].added.size(), 3u);
  EXPECT_EQ(days[0].muted.at("xfail"), 2);
  EXPECT_EQ(days[0].muted.at("skip"), 1);
  const auto& d = days[1];
  EXPECT_EQ(d.date, "2026-11-21");
  EXPECT_EQ(d.muted.at("xfail"), 3);
  EXPECT_EQ(d.muted.at("skip"), 0);
  ASSERT_EQ(d.added.size(), 1u);
  EXPECT_EQ(d.added[0].test_id, "t.py::new");
  ASSERT_EQ(d.removed.size(), 1u);
  EXPECT_EQ(d.removed[0].test_id, "t.py::gone");
  ASSERT_EQ(d.changed.size(), 1u) << "a move to another line is not a change";
  EXPECT_EQ(d.changed[0].now.test_id, "t.py::reworded");
  EXPECT_EQ(d.changed[0].now.reason, "still flaky");
  EXPECT_EQ(d.changed[0].was.reason, "flaky");
  EXPECT_EQ(d.changed[0].was.ticket, "DCOS-1");

  // --since: the day before still serves as the baseline.
  auto since = sink->days(query(&HistoryQuery::since, "2026-11-21"));
  ASSERT_EQ(since.size(), 1u);
  EXPECT_EQ(since[0].added.size(), 1u);
  EXPECT_EQ(since[0].removed.size(), 1u);
  EXPECT_TRUE(sink->days(query(&HistoryQuery::until, "2026-11-19")).empty());
  EXPECT_TRUE(sink->days(query(&HistoryQuery::branch, "dev")).empty());
}

// Every field survives the round trip, nulls and all, in the order the args were written.
TEST_P(HistoryRead, AMarkerReadsBackAsItWasPushed) {
  Marker full =
      marker("t.py::TestA::test_b[1]", 7, "skipif", MarkerKind::skipif, "no 'gpu'", std::nullopt);
  full.scope = MarkerScope::param;
  full.condition = "sys.platform == \"win32\"";
  full.since = "2026-01-02";
  full.strict = false;
  full.effective = false;
  full.args = {{"0", "sys.platform == \"win32\""}, {"reason", "\"no 'gpu'\""}, {"a", "1"}};
  Marker bare = marker("t.py::test_c", 9, "xfail", MarkerKind::xfail, std::nullopt, std::nullopt);
  bare.args.clear();
  auto sink = open_history_sink(db.target());
  sink->push({snapshot("main", "2026-11-20T06:00:00Z", {full, bare})});
  auto days = sink->days({});
  ASSERT_EQ(days.size(), 1u);
  ASSERT_EQ(days[0].added.size(), 2u);
  EXPECT_EQ(days[0].added[0], full);
  EXPECT_EQ(days[0].added[1], bare);
  EXPECT_FALSE(days[0].added[1].strict.has_value());
  EXPECT_EQ(days[0].muted.at("skipif"), 0);  // not effective
}

TEST_P(HistoryRead, TheLastScanOfADayStandsForIt) {
  auto sink = open_history_sink(db.target());
  sink->push({snapshot("main", "2026-11-20T06:00:00Z", {marker("t.py::a", 1)})});
  sink->push(
      {snapshot("main", "2026-11-20T18:00:00Z", {marker("t.py::a", 1), marker("t.py::b", 2)})});
  auto days = sink->days({});
  ASSERT_EQ(days.size(), 1u);
  EXPECT_EQ(days[0].scanned_at, "2026-11-20T18:00:00Z");
  EXPECT_EQ(days[0].added.size(), 2u);
}

TEST_P(HistoryRead, OneTestsTimeline) {
  auto sink = open_history_sink(db.target());
  push_two_days(*sink);
  sink->push({snapshot("main", "2026-11-23T06:00:00Z",
                       {marker("t.py::gone", 22, "skip", MarkerKind::skip)})});
  auto spans = sink->timeline(query(&HistoryQuery::test_id, "t.py::gone"));
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].muted_from, "2026-11-20T06:00:00Z");
  EXPECT_EQ(spans[0].first_seen, "2026-11-20T06:00:00Z");
  EXPECT_EQ(spans[0].unmuted, "2026-11-21T06:00:00Z");
  EXPECT_EQ(spans[1].muted_from, "2026-11-23T06:00:00Z");
  EXPECT_EQ(spans[1].marker.line, 22);
  EXPECT_FALSE(spans[1].unmuted);
  auto json = nlohmann::json::parse(render_timeline("t.py::gone", spans, "json", false));
  EXPECT_EQ(json["timeline"][0]["marker"]["kind"], "skip");
  EXPECT_TRUE(json["timeline"][1]["unmuted"].is_null());
}

TEST_P(HistoryRead, PruneKeepsTheNewestScanAndFirstSeen) {
  auto sink = open_history_sink(db.target());
  sink->push(
      {snapshot("main", "2020-01-01T00:00:00Z", {marker("t.py::a", 1), marker("t.py::b", 2)})});
  sink->push({snapshot("main", "2020-01-02T00:00:00Z", {marker("t.py::a", 1)})});
  // A branch scanned once, long ago: its only scan is its newest and stays.
  sink->push({snapshot("old", "2020-01-01T00:00:00Z", {marker("t.py::a", 1)})});
  auto summary = sink->push({snapshot("main", utc_now_iso8601(), {marker("t.py::a", 1)})}, {30});
  EXPECT_EQ(summary.pruned.scans_deleted, 2u);
  EXPECT_EQ(summary.pruned.markers_deleted, 3u);
  EXPECT_EQ(db.query("SELECT branch, scanned_at FROM flakegrab_scans WHERE scanned_at < '2021'"),
            "old|2020-01-01T00:00:00Z\n");
  EXPECT_EQ(db.query("SELECT first_seen FROM flakegrab_markers WHERE branch = 'main'"),
            "2020-01-01T00:00:00Z\n");
  // b is gone from every stored scan, but its first_seen is kept for when it comes back.
  sink->push({snapshot("main", "2099-01-01T00:00:00Z", {marker("t.py::b", 2)})});
  EXPECT_EQ(db.query("SELECT first_seen FROM flakegrab_markers WHERE test_id = 't.py::b'"),
            "2020-01-01T00:00:00Z\n");
  EXPECT_EQ(sink->prune(1).scans_deleted, 0u) << "the newest scans stay, however old";
  EXPECT_EQ(db.query("SELECT count(*) FROM flakegrab_scans WHERE branch = 'old'"), "1\n");
}

TEST_P(HistoryRead, DashboardViews) {
  auto sink = open_history_sink(db.target());
  push_two_days(*sink);
  sink->push({snapshot("dev", "2026-11-19T06:00:00Z", {marker("t.py::dev_only", 5)})});
  EXPECT_EQ(db.query("SELECT branch, test_id, line, first_seen FROM flakegrab_latest_markers ORDER"
                     " BY branch, test_id"),
            "dev|t.py::dev_only|5|2026-11-19T06:00:00Z\n"
            "main|t.py::moved|14|2026-11-20T06:00:00Z\n"
            "main|t.py::new|40|2026-11-21T06:00:00Z\n"
            "main|t.py::reworded|30|2026-11-20T06:00:00Z\n");
  // The original tool's row shape; skip markers are not xfailflakes.
  EXPECT_EQ(db.query("SELECT test, ticket, file, branch, \"timestamp\", since FROM"
                     " xfailflake_history_v1 WHERE branch = 'main' ORDER BY \"timestamp\", test"),
            "t.py::moved|DCOS-1|t.py|main|2026-11-20T06:00:00Z|2026-11-20\n"
            "t.py::reworded|DCOS-1|t.py|main|2026-11-20T06:00:00Z|2026-11-20\n"
            "t.py::moved|DCOS-1|t.py|main|2026-11-21T06:00:00Z|2026-11-20\n"
            "t.py::new|DCOS-1|t.py|main|2026-11-21T06:00:00Z|2026-11-21\n"
            "t.py::reworded|DCOS-9|t.py|main|2026-11-21T06:00:00Z|2026-11-20\n");
}

// Through the binary: push --from scan documents, then history as JSON, markdown and csv.
TEST_P(HistoryRead, HistoryCommand) {
  test::TempDir dir;
  auto write_doc = [&](const std::string& name, const ScanSnapshot& s) {
    auto doc = to_json(s.scan);
    doc["repo"] = s.repo;
    doc["branch"] = s.branch;
    doc["commit"] = s.commit;
    test::write_file(dir / name, doc.dump());
    return (dir / name).string();
  };
  std::string d1 =
      write_doc("d1.json", snapshot("main", "2026-11-20T06:00:00Z",
                                    {marker("t.py::moved", 10), marker("t.py::gone", 20)}));
  std::string d2 = write_doc(
      "d2.json", snapshot("main", "2026-11-21T06:00:00Z",
                          {marker("t.py::moved", 14), marker("t.py::new", 40, "xfailflake",
                                                             MarkerKind::xfail, "x", "DCOS-2")}));
  auto push = test::run_cli({"push", "--db", db.target(), "--from", d1, "--from", d2}, db.env());
  ASSERT_EQ(push.exit_code, 0) << push.err;
  auto r = test::run_cli({"history", "--db", db.target(), "--since", "2026-11-21"}, db.env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::ordered_json::parse(r.out);
  ASSERT_EQ(j["days"].size(), 1u);
  std::vector<std::string> keys;
  for (const auto& [k, v] : j["days"][0].items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"repo", "branch", "date", "commit", "scanned_at",
                                            "muted", "added", "removed", "changed"}));
  EXPECT_EQ(j["days"][0]["muted"]["xfail"], 2);
  EXPECT_EQ(j["days"][0]["added"][0]["test_id"], "t.py::new");
  EXPECT_EQ(j["days"][0]["added"][0]["ticket"], "DCOS-2");
  EXPECT_EQ(j["days"][0]["removed"][0]["test_id"], "t.py::gone");
  EXPECT_TRUE(j["days"][0]["changed"].empty());

  auto md = test::run_cli({"history", "--db", db.target(), "--format", "markdown"}, db.env());
  EXPECT_NE(md.out.find("| test | 2026-11-20 | 2026-11-21 |"), std::string::npos) << md.out;
  EXPECT_NE(md.out.find("| t.py::gone | xfail |  |"), std::string::npos) << md.out;
  EXPECT_NE(md.out.find("| t.py::new |  | xfail |"), std::string::npos) << md.out;
  auto csv = test::run_cli({"history", "--db", db.target(), "--format", "csv"}, db.env());
  EXPECT_NE(csv.out.find("2026-11-21,cccccccccccccccccccccccccccccccccccccccc,2026-11-21T06:00:00Z,"
                         "2,0,0,0,0,t.py::new,t.py::gone,\n"),
            std::string::npos)
      << csv.out;
  auto bad = test::run_cli({"history", "--db", db.target(), "--since", "21/11/2026"}, db.env());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("not a date"), std::string::npos) << bad.err;

  auto prune = test::run_cli({"prune", "--db", db.target(), "--keep-days", "1"}, db.env());
  EXPECT_EQ(prune.exit_code, 0) << prune.err;
  EXPECT_NE(prune.err.find("1 scan(s), 2 marker(s), 0 verdict(s) deleted"), std::string::npos)
      << prune.err;
}

INSTANTIATE_TEST_SUITE_P(Backends, HistoryRead, ::testing::Values("sqlite", "postgres", "redshift"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace flakegrab
