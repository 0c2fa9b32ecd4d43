#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/fake_tracker.h"
#include "support/git_repo_builder.h"
#include "support/process.h"

namespace flakegrab::test {
namespace {

constexpr const char* kJiraToken = "jira-t0ken-never-shown";
constexpr const char* kGithubToken = "ghp_never-shown-either";
constexpr long long kJan2024 = 1704844800;  // 2024-01-10
constexpr long long kJun2025 = 1748736000;  // 2025-06-01

const char* kOld = R"(import pytest


@pytest.mark.xfailflake(jira="DCOS-1", reason="flaky payment gateway")
def test_closed():
    assert True


@pytest.mark.xfail(reason="https://github.com/acme/shop/issues/12")
def test_open_ticket():
    assert True


@pytest.mark.skip(reason="slow")
def test_no_ticket():
    assert True
)";

const char* kFresh = R"(import pytest


@pytest.mark.skip(reason="see https://github.com/acme/shop/issues/12")
def test_fresh():
    assert True


@pytest.mark.skip(reason="https://github.com/acme/shop/issues/12", expires="2025-06-15")
def test_written_expiry():
    assert True
)";

class AuditCli : public ::testing::Test {
 protected:
  TempDir dir;
  FakeTracker jira, github;
  std::string c1;
  std::map<std::string, std::string> env;

  void SetUp() override {
    GitRepoBuilder repo(dir / "repo");
    repo.write("main", "tests/test_pay.py", kOld);
    c1 = repo.commit("main", "mute payment tests", kJan2024);
    repo.write("main", "tests/test_fresh.py", kFresh);
    repo.commit("main", "fresh mutes", kJun2025);
    repo.branch_from("clean", "main");
    repo.remove("clean", "tests/test_pay.py");
    repo.remove("clean", "tests/test_fresh.py");
    repo.write(
        "clean", "tests/test_ok.py",
        "import pytest\n\n\n@pytest.mark.xfail(reason='https://github.com/acme/shop/issues/12')\n"
        "def test_ok():\n    assert True\n");
    repo.commit("clean", "only a fresh, ticketed mute", kJun2025);

    jira.answer(
        "/rest/api/2/issue/DCOS-1",
        {{200, jira_issue("DCOS-1", "Done", "done", "Fixed", "2024-09-01T10:00:00.000+0000")}});
    github.answer("/repos/acme/shop/issues/12",
                  {{200, github_issue("acme/shop", 12, "open", "", "")}});
    env = {{"JIRA_USER", "bot"},
           {"JIRA_TOKEN", kJiraToken},
           {"GITHUB_TOKEN", kGithubToken},
           {"XDG_CACHE_HOME", (dir / "cache").string()}};
  }

  RunResult audit(const std::string& branch, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"audit",
                                     (dir / "repo").string(),
                                     branch,
                                     "--marker",
                                     "xfailflake=xfail",
                                     "--tickets",
                                     "jira:" + jira.url(),
                                     "--tickets",
                                     "github:" + github.url(),
                                     "--allow-insecure-auth",
                                     "--max-mute-days",
                                     "365",
                                     "--as-of",
                                     "2025-07-01"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args, env);
  }

  void expect_no_token_anywhere(const RunResult& r) {
    for (const char* t : {kJiraToken, kGithubToken}) {
      EXPECT_EQ(r.out.find(t), std::string::npos);
      EXPECT_EQ(r.err.find(t), std::string::npos);
      for (const auto& f : std::filesystem::recursive_directory_iterator(dir / "cache"))
        if (f.is_regular_file()) {
          EXPECT_EQ(read_file(f.path()).find(t), std::string::npos) << f.path();
        }
    }
  }
};

TEST_F(AuditCli, ClosedExpiredAndUnticketedMutesNeedAHumanAndExitOne) {
  auto r = audit("main");
  ASSERT_EQ(r.exit_code, 1) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["summary"]["muted"], 5);
  EXPECT_EQ(doc["summary"]["needs_human"], 4);
  std::map<std::string, nlohmann::json> rows;
  for (const auto& t : doc["tests"]) rows[t["test_id"]] = t;
  ASSERT_EQ(rows.size(), 4u) << r.out;

  const auto& closed = rows.at("tests/test_pay.py::test_closed");
  EXPECT_EQ(closed["audit_reasons"], nlohmann::json::array({"ticket_closed", "expired"}));
  EXPECT_EQ(closed["ticket_status"], "closed");
  EXPECT_EQ(closed["ticket_resolution"], "Fixed");
  EXPECT_EQ(closed["ticket_closed_at"], "2024-09-01T10:00:00Z");
  EXPECT_EQ(closed["ticket_url"], jira.url() + "/browse/DCOS-1");
  EXPECT_EQ(closed["ticket_closed"], true);
  EXPECT_EQ(closed["added_in"], c1);  // from git blame: no since=
  EXPECT_EQ(closed["added_at"], "2024-01-10T00:00:00Z");
  EXPECT_EQ(closed["days_muted"], 538);
  EXPECT_EQ(closed["expires_at"], "2025-01-09T00:00:00Z");
  EXPECT_NE(closed["reason"].get<std::string>().find("DCOS-1 is closed (Fixed)"),
            std::string::npos);

  EXPECT_EQ(rows.at("tests/test_pay.py::test_no_ticket")["audit_reasons"],
            nlohmann::json::array({"expired", "no_ticket"}));
  const auto& written = rows.at("tests/test_fresh.py::test_written_expiry");
  EXPECT_EQ(written["audit_reasons"], nlohmann::json::array({"expired"}));
  EXPECT_EQ(written["expires_at"], "2025-06-15T00:00:00Z");
  // Open ticket, a year of mute left: not listed.
  EXPECT_FALSE(rows.contains("tests/test_fresh.py::test_fresh"));
  // Open ticket but older than the 365-day policy: listed as expired only.
  const auto& open = rows.at("tests/test_pay.py::test_open_ticket");
  EXPECT_EQ(open["audit_reasons"], nlohmann::json::array({"expired"}));
  EXPECT_EQ(open["ticket_status"], "open");
  EXPECT_EQ(open["ticket_url"], "https://github.com/acme/shop/issues/12");
  expect_no_token_anywhere(r);
  for (const auto& req : jira.requests())
    EXPECT_EQ(req.headers.at("Authorization").rfind("Basic ", 0), 0u);
}

TEST_F(AuditCli, TicketStatesAreCachedAcrossRunsWithinTheTtl) {
  auto first = audit("main");
  ASSERT_EQ(first.exit_code, 1) << first.err;
  const auto asked = jira.requests().size() + github.requests().size();
  EXPECT_EQ(asked, 2u);  // one per distinct ticket
  auto second = audit("main", {"--format", "ndjson"});
  ASSERT_EQ(second.exit_code, 1) << second.err;
  EXPECT_EQ(jira.requests().size() + github.requests().size(), asked);
  EXPECT_NE(second.out.find("\"ticket_status\":\"closed\""), std::string::npos);
  auto third = audit("main", {"--ticket-ttl", "0"});
  EXPECT_EQ(jira.requests().size() + github.requests().size(), asked + 2);
  expect_no_token_anywhere(third);
}

TEST_F(AuditCli, NothingToDoExitsZeroAndFormatsLikeCorrelate) {
  auto r = audit("clean", {"--format", "markdown"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("0 of 1 muted tests"), std::string::npos) << r.out;
  auto csv = audit("main", {"--format", "csv"});
  EXPECT_EQ(csv.exit_code, 1);
  EXPECT_NE(csv.out.find("ticket_status,ticket_resolution,ticket_closed_at,ticket_url"),
            std::string::npos);
  EXPECT_NE(csv.out.find("ticket_closed;expired"), std::string::npos) << csv.out;
  // The summary csv cannot hold: one readable line on stderr, none under --quiet.
  EXPECT_NE(csv.err.find("flakegrab: audit: 5 muted, 4 need(s) a human: 1 ticket closed, 4 "
                         "expired, 1 no ticket\n"),
            std::string::npos)
      << csv.err;
  auto quiet = audit("main", {"--format", "ndjson", "--quiet"});
  EXPECT_EQ(quiet.exit_code, 1);
  EXPECT_EQ(quiet.err, "");
}

TEST_F(AuditCli, ADeadTrackerWarnsButNeverFailsTheScan) {
  std::vector<std::string> args = {"audit", (dir / "repo").string(), "clean", "--tickets",
                                   "github:http://127.0.0.1:" + std::to_string(free_port())};
  auto r = run_cli(args, env);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("flakegrab: warning: tickets: github"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("token not sent over plain http"), std::string::npos) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["summary"]["muted"], 1);
  expect_no_token_anywhere(r);
}

TEST_F(AuditCli, ADumpDocumentIsDatedFromItsRepositoryToo) {
  auto dump =
      run_cli({"dump", (dir / "repo").string(), "main", "--marker", "xfailflake=xfail"}, env);
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  write_file(dir / "dump.json", dump.out);
  auto r = run_cli({"audit", "--scan", (dir / "dump.json").string(), "--max-mute-days", "365",
                    "--as-of", "2025-07-01"},
                   env);
  ASSERT_EQ(r.exit_code, 1) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  bool seen = false;
  for (const auto& t : doc["tests"]) {
    if (t["test_id"] != "tests/test_pay.py::test_no_ticket") continue;
    seen = true;
    EXPECT_EQ(t["added_in"], c1);
    EXPECT_EQ(t["audit_reasons"], nlohmann::json::array({"expired", "no_ticket"}));
  }
  EXPECT_TRUE(seen) << r.out;
}

TEST_F(AuditCli, BadTrackerSpecIsAOneLineErrorBeforeAnyWork) {
  auto r =
      run_cli({"audit", (dir / "repo").string(), "main", "--tickets", "bugzilla:https://b"}, env);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("flakegrab: --tickets bugzilla"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace flakegrab::test
