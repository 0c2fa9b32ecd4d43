// The HTTP service on 127.0.0.1 with real correlations of the fixture history, read back with
// a real HTTP client.
#include <httplib.h>

#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>

#include "correlate/correlate.h"
#include "grabber/error.h"
#include "grabber/scan_pipeline.h"
#include "serve/report_server.h"
#include "support/paths.h"

namespace flakegrab::serve {
namespace {

using nlohmann::json;

correlate::CorrelateResult fixture_report() {
  auto scan = scan_directory(test::fixtures_dir() / "history/repo", ScanConfig::defaults());
  auto junit = correlate::read_junit({(test::fixtures_dir() / "history/junit").string()});
  return correlate::correlate(scan.markers, correlate::history_from_junit(junit.reports, {}),
                              {"2026-05-22T00:00:00Z"});
}

// The type a JSON reader sees: the parser's signed/unsigned split is not in the text.
std::string json_kind(const json& v) {
  if (v.is_number_float()) return "float";
  if (v.is_number()) return "integer";
  return v.type_name();
}

httplib::Result get(int port, const std::string& path, const std::string& token = "") {
  httplib::Client c("127.0.0.1", port);
  httplib::Headers h;
  if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
  return c.Get(path, h);
}

TEST(ReportServer, VerdictsAreAFlatArrayWithOneTypePerField) {
  ReportServer server(fixture_report, {"127.0.0.1", 0, "", std::chrono::seconds(3600)});
  int port = server.start();
  auto r = get(port, "/verdicts");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  auto rows = json::parse(r->body);
  ASSERT_TRUE(rows.is_array());
  ASSERT_EQ(rows.size(), fixture_report().rows.size());
  std::set<std::string> verdicts;
  for (const auto& row : rows) {
    ASSERT_TRUE(row.is_object());
    verdicts.insert(row.at("verdict").get<std::string>());
    for (const auto& [key, value] : row.items()) {
      EXPECT_FALSE(value.is_null()) << key;
      EXPECT_FALSE(value.is_structured()) << key;  // scalars only
      EXPECT_EQ(json_kind(value), json_kind(rows[0].at(key))) << key << " in " << row.dump();
    }
  }
  EXPECT_TRUE(verdicts.count("unmute") && verdicts.count("fix") && verdicts.count("orphan"));

  auto some = json::parse(get(port, "/verdicts?verdict=unmute,fix")->body);
  ASSERT_FALSE(some.empty());
  for (const auto& row : some) EXPECT_TRUE(row["verdict"] == "unmute" || row["verdict"] == "fix");
  auto summary = json::parse(get(port, "/summary")->body);
  ASSERT_EQ(summary.size(), 1u);
  EXPECT_EQ(summary[0].at("history_tests"), 9);
}

TEST(ReportServer, TokenGuardsTheData) {
  const std::string token = "serve-t0ken-abc";
  ReportServer server(fixture_report, {"127.0.0.1", 0, token, std::chrono::seconds(3600)});
  int port = server.start();
  EXPECT_EQ(get(port, "/verdicts")->status, 401);
  EXPECT_EQ(get(port, "/summary", "wrong-t0ken-abc")->status, 401);
  auto ok = get(port, "/verdicts", token);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body.find(token), std::string::npos);
  EXPECT_EQ(get(port, "/healthz")->status, 200);  // probes need no token
}

TEST(ReportServer, FailedRefreshKeepsTheLastReportAndSaysStale) {
  std::atomic<int> calls = 0;
  auto producer = [&calls]() {
    if (calls++ > 0) throw Error("bundle.json: cannot read");
    return fixture_report();
  };
  ReportServer server(producer, {"127.0.0.1", 0, "", std::chrono::seconds(3600)});
  int port = server.start();
  std::string before = get(port, "/verdicts")->body;
  server.refresh();  // fails: reported, not thrown, the old report stays
  EXPECT_EQ(get(port, "/verdicts")->body, before);
  auto health = json::parse(get(port, "/healthz")->body);
  EXPECT_EQ(health.at("status"), "stale");
  EXPECT_EQ(health.at("last_error"), "bundle.json: cannot read");
}

TEST(ReportServer, NothingToServeIsAnErrorAtStart) {
  ReportServer server([]() -> correlate::CorrelateResult { throw Error("no history"); },
                      {"127.0.0.1", 0, "", std::chrono::seconds(3600)});
  EXPECT_THROW(server.start(), Error);
}

TEST(ReportServer, RefreshesInTheBackground) {
  std::atomic<int> calls = 0;
  auto producer = [&calls]() {
    ++calls;
    return fixture_report();
  };
  ReportServer server(producer, {"127.0.0.1", 0, "", std::chrono::seconds(1)});
  server.start();
  for (int i = 0; i < 100 && calls < 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_GE(calls.load(), 2);
  server.stop();  // joins the refresh thread promptly
}

}  // namespace
}  // namespace flakegrab::serve
