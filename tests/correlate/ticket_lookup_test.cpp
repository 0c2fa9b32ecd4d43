#include <gtest/gtest.h>

#include <chrono>
#include <ctime>

#include "correlate/ticket.h"
#include "support/fake_tracker.h"
#include "support/process.h"

namespace flakegrab::correlate {
namespace {

using test::CannedAnswer;
using test::FakeTracker;

constexpr const char* kToken = "s3cr3t-t0ken-value";

TicketRef ticket(const std::string& text) {
  auto r = parse_ticket(text, "");
  EXPECT_TRUE(r) << text;
  return *r;
}

TicketLookupOptions options(const std::string& spec) {
  TicketLookupOptions o;
  o.trackers = parse_trackers({spec});
  o.allow_insecure_auth = true;  // loopback fakes speak plain http
  o.max_wait_seconds = 5;
  o.timeout_seconds = 5;
  return o;
}

bool mentions_token(const std::vector<std::string>& lines) {
  for (const auto& l : lines)
    if (l.find(kToken) != std::string::npos) return true;
  return false;
}

TEST(TicketLookup, JiraStatusCategoryResolutionAndBasicAuth) {
  FakeTracker jira;
  jira.answer("/rest/api/2/issue/DCOS-1",
              {{200, test::jira_issue("DCOS-1", "Closed", "done", "Fixed",
                                      "2024-03-01T10:00:00.000+0000")}});
  jira.answer("/rest/api/2/issue/DCOS-2",
              {{200, test::jira_issue("DCOS-2", "In Review", "indeterminate", "", "")}});
  jira.answer(
      "/rest/api/2/issue/DCOS-404",
      {{404,
        R"({"errorMessages":["Issue does not exist or you do not have permission to see it."],"errors":{}})"}});
  auto o = options("jira:" + jira.url());
  o.credentials.jira_user = "bot";
  o.credentials.jira_token = kToken;
  auto got = lookup_tickets({ticket("DCOS-1"), ticket("DCOS-2"), ticket("DCOS-404")}, o);
  ASSERT_EQ(got.states.size(), 3u);
  EXPECT_EQ(got.states[0].status, "closed");
  EXPECT_EQ(got.states[0].resolution, "Fixed");
  EXPECT_EQ(got.states[0].closed_at, "2024-03-01T10:00:00Z");
  EXPECT_EQ(got.states[0].url, jira.url() + "/browse/DCOS-1");
  EXPECT_EQ(got.states[1].status, "open");
  EXPECT_EQ(got.states[1].resolution, "");
  EXPECT_EQ(got.states[1].closed_at, "");
  EXPECT_EQ(got.states[2].status, "unknown");
  EXPECT_TRUE(got.states[2].not_found);
  EXPECT_TRUE(got.warnings.empty());
  for (const auto& r : jira.requests()) {
    EXPECT_NE(r.path.find("fields=status,resolution,resolutiondate"), std::string::npos);
    EXPECT_EQ(r.headers.at("Authorization"), "Basic Ym90OnMzY3IzdC10MGtlbi12YWx1ZQ==");
  }
}

TEST(TicketLookup, GithubStateReasonBearerTokenAnd401WithoutLeakingIt) {
  FakeTracker gh;
  gh.answer("/repos/o/r/issues/12",
            {{200, test::github_issue("o/r", 12, "closed", "completed", "2024-02-03T04:05:06Z")}});
  gh.answer(
      "/repos/o/r/issues/13",
      {{200, test::github_issue("o/r", 13, "closed", "not_planned", "2024-02-04T00:00:00Z")}});
  gh.answer("/repos/o/r/issues/14", {{200, test::github_issue("o/r", 14, "open", "reopened", "")}});
  gh.answer(
      "/repos/o/private/issues/1",
      {{401,
        R"({"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"})"}});
  auto o = options("github:" + gh.url());
  o.credentials.github_token = kToken;
  auto got = lookup_tickets({ticket("https://github.com/o/r/issues/12"), ticket("o/r#13"),
                             ticket("o/r#14"), ticket("o/private#1")},
                            o);
  EXPECT_EQ(got.states[0].status, "closed");
  EXPECT_EQ(got.states[0].resolution, "completed");
  EXPECT_EQ(got.states[0].url, "https://github.com/o/r/issues/12");
  EXPECT_EQ(got.states[1].resolution, "not_planned");
  EXPECT_EQ(got.states[2].status, "open");
  EXPECT_EQ(got.states[2].closed_at, "");
  EXPECT_EQ(got.states[3].status, "unknown");
  EXPECT_FALSE(got.states[3].not_found);
  ASSERT_EQ(got.warnings.size(), 1u);
  EXPECT_NE(got.warnings[0].find("o/private#1: HTTP 401 (token refused)"), std::string::npos)
      << got.warnings[0];
  EXPECT_FALSE(mentions_token(got.warnings));
  for (const auto& r : gh.requests()) {
    EXPECT_EQ(r.headers.at("Authorization"), std::string("Bearer ") + kToken);
    EXPECT_EQ(r.headers.at("Accept"), "application/vnd.github+json");
  }
}

TEST(TicketLookup, GitlabStateAndPrivateToken) {
  FakeTracker gl;
  // The server matches the decoded path; the client sends group%2Fsub%2Fproj.
  gl.answer("/api/v4/projects/group/sub/proj/issues/5",
            {{200, test::gitlab_issue("group/sub/proj", 5, "closed", "2024-01-01T12:00:00.000Z")}});
  gl.answer("/api/v4/projects/group/sub/proj/issues/6",
            {{200, test::gitlab_issue("group/sub/proj", 6, "opened", "")}});
  auto o = options("gitlab:" + gl.url());
  o.credentials.gitlab_token = kToken;
  const std::string host = "127.0.0.1:" + std::to_string(gl.port());
  auto got = lookup_tickets({ticket("http://" + host + "/group/sub/proj/-/issues/5"),
                             ticket("http://" + host + "/group/sub/proj/-/issues/6")},
                            o);
  EXPECT_EQ(got.states[0].status, "closed");
  EXPECT_EQ(got.states[0].closed_at, "2024-01-01T12:00:00Z");
  EXPECT_EQ(got.states[0].url, "https://gitlab.example.com/group/sub/proj/-/issues/5");
  EXPECT_EQ(got.states[1].status, "open");
  for (const auto& r : gl.requests()) {
    EXPECT_NE(r.target.find("/projects/group%2Fsub%2Fproj/issues/"), std::string::npos) << r.target;
    EXPECT_EQ(r.headers.at("PRIVATE-TOKEN"), kToken);
  }
}

TEST(TicketLookup, RetryAfterAndRateLimitResetAreHonoured) {
  FakeTracker gh;
  gh.answer("/repos/o/r/issues/1",
            {{429, R"({"message":"slow down"})", {{"Retry-After", "1"}}},
             {200, test::github_issue("o/r", 1, "closed", "completed", "2024-02-03T04:05:06Z")}});
  const auto reset = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count() +
                     1;
  gh.answer("/repos/o/r/issues/2",
            {{403,
              R"({"message":"API rate limit exceeded"})",
              {{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", std::to_string(reset)}}},
             {200, test::github_issue("o/r", 2, "open", "", "")}});
  auto o = options("github:" + gh.url());
  o.concurrency = 1;
  const auto start = std::chrono::steady_clock::now();
  auto got = lookup_tickets({ticket("o/r#1"), ticket("o/r#2")}, o);
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(got.states[0].status, "closed");
  EXPECT_EQ(got.states[1].status, "open");
  EXPECT_TRUE(got.warnings.empty()) << got.warnings[0];
  EXPECT_EQ(gh.requests().size(), 4u);
  EXPECT_GE(waited, std::chrono::milliseconds(900));  // it did wait, not hammer
}

TEST(TicketLookup, RetryAfterAsAnHttpDate) {
  FakeTracker gl;
  char date[64];
  std::time_t soon = std::time(nullptr) + 1;
  std::tm tm{};
  gmtime_r(&soon, &tm);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  gl.answer("/api/v4/projects/g/p/issues/1",
            {{429, R"({"message":"429 Too Many Requests"})", {{"Retry-After", date}}},
             {200, test::gitlab_issue("g/p", 1, "closed", "2024-01-01T00:00:00.000Z")}});
  auto o = options("gitlab:" + gl.url());
  const std::string host = "127.0.0.1:" + std::to_string(gl.port());
  auto got = lookup_tickets({ticket("http://" + host + "/g/p/-/issues/1")}, o);
  EXPECT_EQ(got.states[0].status, "closed");
  EXPECT_EQ(gl.requests().size(), 2u);
}

TEST(TicketLookup, ARateLimitLongerThanTheWaitLimitLeavesUnknownAndAWarning) {
  FakeTracker gh;
  gh.answer("/repos/o/r/issues/1", {{429, "{}", {{"Retry-After", "3600"}}}});
  auto o = options("github:" + gh.url());
  o.max_wait_seconds = 2;
  auto got = lookup_tickets({ticket("o/r#1")}, o);
  EXPECT_EQ(got.states[0].status, "unknown");
  ASSERT_EQ(got.warnings.size(), 1u);
  EXPECT_NE(got.warnings[0].find("rate limited"), std::string::npos) << got.warnings[0];
  EXPECT_EQ(gh.requests().size(), 1u);
}

TEST(TicketLookup, ADeadTrackerOrBadAnswerIsUnknownWithAWarning) {
  FakeTracker jira;
  jira.answer("/rest/api/2/issue/AB-1", {{500, "oops"}});
  jira.answer("/rest/api/2/issue/AB-2", {{200, R"({"key":"AB-2","fields":{}})"}});
  jira.answer("/rest/api/2/issue/AB-3", {{200, "<html>login</html>"}});
  auto o = options("jira:" + jira.url());
  auto got = lookup_tickets({ticket("AB-1"), ticket("AB-2"), ticket("AB-3")}, o);
  for (const auto& s : got.states) EXPECT_EQ(s.status, "unknown");
  EXPECT_EQ(got.warnings.size(), 3u);

  auto dead = options("jira:http://127.0.0.1:" + std::to_string(test::free_port()));
  auto none = lookup_tickets({ticket("AB-1")}, dead);
  EXPECT_EQ(none.states[0].status, "unknown");
  ASSERT_EQ(none.warnings.size(), 1u);
  EXPECT_NE(none.warnings[0].find("request failed"), std::string::npos) << none.warnings[0];
}

TEST(TicketLookup, NoTokenOverPlainHttpUnlessAllowed) {
  FakeTracker gh;
  gh.answer("/repos/o/r/issues/1", {{200, test::github_issue("o/r", 1, "open", "", "")}});
  auto o = options("github:" + gh.url());
  o.allow_insecure_auth = false;
  o.credentials.github_token = kToken;
  auto got = lookup_tickets({ticket("o/r#1")}, o);
  EXPECT_EQ(got.states[0].status, "open");  // still asked, anonymously
  ASSERT_EQ(gh.requests().size(), 1u);
  EXPECT_FALSE(gh.requests()[0].headers.contains("Authorization"));
  ASSERT_EQ(got.warnings.size(), 1u);
  EXPECT_NE(got.warnings[0].find("--allow-insecure-auth"), std::string::npos);
  EXPECT_FALSE(mentions_token(got.warnings));
}

TEST(TicketLookup, ARedirectIsNotFollowedSoTheTokenStaysAtTheTrackersOrigin) {
  FakeTracker elsewhere;
  elsewhere.answer("/steal", {{200, test::github_issue("o/r", 1, "open", "", "")}});
  FakeTracker gh;
  gh.answer("/repos/o/r/issues/1", {{302, "", {{"Location", elsewhere.url() + "/steal"}}}});
  auto o = options("github:" + gh.url());
  o.credentials.github_token = kToken;
  auto got = lookup_tickets({ticket("o/r#1")}, o);
  EXPECT_EQ(got.states[0].status, "unknown");
  EXPECT_TRUE(elsewhere.requests().empty());
  ASSERT_EQ(got.warnings.size(), 1u);
  EXPECT_NE(got.warnings[0].find("redirect not followed"), std::string::npos);
}

TEST(TicketLookup, ConcurrentButBoundedAndOneRequestPerDistinctTicket) {
  FakeTracker jira;
  jira.set_delay_ms(150);
  std::vector<TicketRef> refs;
  for (int i = 1; i <= 12; ++i) {
    const std::string key = "FLAKE-" + std::to_string(i);
    jira.answer("/rest/api/2/issue/" + key, {{200, test::jira_issue(key, "Open", "new", "", "")}});
    refs.push_back(ticket(key));
    refs.push_back(ticket(key));  // the same ticket on two markers
  }
  auto o = options("jira:" + jira.url());
  o.concurrency = 3;
  auto got = lookup_tickets(refs, o);
  for (const auto& s : got.states) EXPECT_EQ(s.status, "open");
  EXPECT_EQ(jira.requests().size(), 12u);
  EXPECT_LE(jira.max_in_flight(), 3);
  EXPECT_GE(jira.max_in_flight(), 2);
}

TEST(TicketLookup, TtlCacheAcrossRunsHoldsNoToken) {
  test::TempDir dir;
  FakeTracker jira;
  jira.answer("/rest/api/2/issue/DCOS-1",
              {{200, test::jira_issue("DCOS-1", "Closed", "done", "Fixed",
                                      "2024-03-01T10:00:00.000+0000")}});
  auto o = options("jira:" + jira.url());
  o.credentials.jira_bearer = kToken;
  o.cache_file = dir / "tickets" / "state.json";
  auto first = lookup_tickets({ticket("DCOS-1")}, o);
  EXPECT_EQ(first.fetched, 1u);
  EXPECT_EQ(jira.requests().size(), 1u);
  EXPECT_EQ(jira.requests()[0].headers.at("Authorization"), std::string("Bearer ") + kToken);
  const std::string cached = test::read_file(o.cache_file);
  EXPECT_EQ(cached.find(kToken), std::string::npos);
  EXPECT_NE(cached.find("DCOS-1"), std::string::npos);

  auto second = lookup_tickets({ticket("DCOS-1")}, o);
  EXPECT_EQ(second.cached, 1u);
  EXPECT_EQ(second.states[0].status, "closed");
  EXPECT_EQ(second.states[0].resolution, "Fixed");
  EXPECT_EQ(jira.requests().size(), 1u);  // not asked again within the TTL

  o.ttl_seconds = 1;
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto third = lookup_tickets({ticket("DCOS-1")}, o);
  EXPECT_EQ(third.fetched, 1u);
  EXPECT_EQ(jira.requests().size(), 2u);  // past the TTL: asked again
}

TEST(TicketLookup, ATicketNoTrackerAnswersForIsUnknownWithOneWarning) {
  auto o = options("jira:https://jira.example.com");
  auto got = lookup_tickets({ticket("o/r#1"), ticket("o/r#1")}, o);
  EXPECT_EQ(got.states[0].status, "unknown");
  EXPECT_EQ(got.warnings.size(), 1u);
}

}  // namespace
}  // namespace flakegrab::correlate
