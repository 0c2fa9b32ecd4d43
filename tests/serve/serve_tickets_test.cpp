// `flakegrab serve --tickets`: the ticket fields reach the Redash rows, and background refreshes
// reuse the ticket cache instead of asking the tracker again.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "support/fake_tracker.h"
#include "support/paths.h"
#include "support/process.h"

namespace flakegrab::test {
namespace {

int wait_for_port(const std::filesystem::path& err) {
  std::smatch m;
  for (int i = 0; i < 400; ++i) {
    std::string text = read_file(err);
    if (std::regex_search(text, m, std::regex("http://127\\.0\\.0\\.1:([0-9]+)/markers")))
      return std::stoi(m[1]);
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return 0;
}

TEST(ServeTickets, RowsCarryTicketStateAndRefreshesUseTheCache) {
  TempDir tmp;
  FakeTracker jira;
  jira.answer(
      "/rest/api/2/issue/DCOS-1",
      {{200, jira_issue("DCOS-1", "Done", "done", "Fixed", "2026-04-30T16:20:00.000+0000")}});
  jira.answer("/rest/api/2/issue/DCOS-123",
              {{200, jira_issue("DCOS-123", "In Progress", "indeterminate", "", "")}});
  const auto err = tmp / "stderr";
  write_file(err, "");  // exists before the child runs, so the reader never races it
  Background serve(
      FLAKEGRAB_BINARY,
      {"serve", "--scan-dir", (fixtures_dir() / "history/repo").string(), "--junit",
       (fixtures_dir() / "history/junit").string(), "--tickets", "jira:" + jira.url(),
       "--allow-insecure-auth", "--max-mute-days", "365", "--as-of", "2026-05-22", "--listen",
       "127.0.0.1:0", "--refresh", "1"},
      {{"JIRA_BEARER", "serve-jira-t0ken"}, {"XDG_CACHE_HOME", (tmp / "cache").string()}}, {}, err);
  const int port = wait_for_port(err);
  ASSERT_NE(port, 0) << read_file(err);
  httplib::Client c("127.0.0.1", port);
  auto r = c.Get("/verdicts");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  std::map<std::string, nlohmann::json> rows;
  for (const auto& row : nlohmann::json::parse(r->body)) rows[row["test_id"]] = row;
  const auto& payment = rows.at("tests/test_checkout.py::test_payment");
  EXPECT_EQ(payment["ticket_status"], "closed");
  EXPECT_EQ(payment["ticket_closed"], true);
  EXPECT_EQ(payment["audit_reasons"], "ticket_closed");
  const auto& refund = rows.at("tests/test_checkout.py::test_refund");
  EXPECT_EQ(refund["ticket_status"], "open");
  EXPECT_EQ(refund["expired"], true);
  EXPECT_EQ(refund["expires_at"], "2020-01-25T00:00:00Z");
  EXPECT_TRUE(rows.at("tests/test_checkout.py::test_total")["ticket_status"].is_string());

  // Wait (bounded) for a later refresh, then check the tracker was not asked again.
  const std::string first = nlohmann::json::parse(c.Get("/healthz")->body)["refreshed_at"];
  std::string later = first;
  for (int i = 0; i < 100 && later == first; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    later = nlohmann::json::parse(c.Get("/healthz")->body)["refreshed_at"];
  }
  EXPECT_NE(later, first);
  EXPECT_EQ(jira.requests().size(), 2u);  // DCOS-1 and DCOS-123, once each
  EXPECT_EQ(serve.terminate(), 0);
  EXPECT_EQ(read_file(err).find("serve-jira-t0ken"), std::string::npos);
}

}  // namespace
}  // namespace flakegrab::test
