#include <gtest/gtest.h>

#include "base/error.h"
#include "correlate/ticket.h"

namespace flakegrab::correlate {
namespace {

TEST(TicketRef, FormsAsWrittenInMarkers) {
  auto jira = parse_ticket("\"DCOS-123\"", "");
  ASSERT_TRUE(jira);
  EXPECT_EQ(jira->kind, TrackerKind::jira);
  EXPECT_EQ(jira->key, "DCOS-123");
  EXPECT_TRUE(jira->host.empty());

  auto browse = parse_ticket("'https://jira.example.com/browse/OPS-7'", "");
  ASSERT_TRUE(browse);
  EXPECT_EQ(browse->kind, TrackerKind::jira);
  EXPECT_EQ(browse->key, "OPS-7");
  EXPECT_EQ(browse->host, "jira.example.com");

  auto gh = parse_ticket("https://github.com/o/r/issues/12", "");
  ASSERT_TRUE(gh);
  EXPECT_EQ(gh->kind, TrackerKind::github);
  EXPECT_EQ(gh->project, "o/r");
  EXPECT_EQ(gh->number, "12");
  EXPECT_EQ(gh->key, "o/r#12");

  // A pull request is looked up through the issues API, which serves PRs under their number.
  auto pr = parse_ticket("https://github.com/o/r/pull/34", "");
  ASSERT_TRUE(pr);
  EXPECT_EQ(pr->kind, TrackerKind::github);
  EXPECT_EQ(pr->key, "o/r#34");
  EXPECT_EQ(pr->written_url, "https://github.com/o/r/pull/34");
  EXPECT_FALSE(parse_ticket("https://github.com/o/r/pull/34/files", ""));

  auto gl = parse_ticket("https://gitlab.example.com/group/sub/proj/-/issues/5", "");
  ASSERT_TRUE(gl);
  EXPECT_EQ(gl->kind, TrackerKind::gitlab);
  EXPECT_EQ(gl->project, "group/sub/proj");
  EXPECT_EQ(gl->key, "group/sub/proj#5");

  auto bare = parse_ticket("#99", "acme/widgets");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->key, "acme/widgets#99");
  EXPECT_FALSE(parse_ticket("#99", ""));
  auto short_form = parse_ticket("acme/widgets#3", "");
  ASSERT_TRUE(short_form);
  EXPECT_EQ(short_form->project, "acme/widgets");

  for (const char* bad :
       {"", "flaky", "abc-12", "A-1", "DCOS-0", "DCOS-", "https://x.org/a/b",
        "https://user:pw@github.com/o/r/issues/1", "ftp://github.com/o/r/issues/1"})
    EXPECT_FALSE(parse_ticket(bad, "o/r")) << bad;
}

TEST(TicketRef, MarkerTicketKeywordFirstThenAnIssueUrlInTheReason) {
  Marker m;
  m.reason = "\"see https://github.com/o/r/issues/12.\"";
  auto r = ticket_of(m, "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->key, "o/r#12");
  m.ticket = "\"DCOS-1\"";
  EXPECT_EQ(ticket_of(m, "")->key, "DCOS-1");

  // A Jira-like word in prose is not a ticket.
  Marker prose;
  prose.reason = "\"fails on UTF-8 paths, see PEP-8\"";
  EXPECT_FALSE(ticket_of(prose, ""));
}

TEST(TicketRef, RoutedByFormAndHost) {
  auto trackers =
      parse_trackers({"jira:https://jira.example.com/", "github", "github:https://ghe.corp/api/v3",
                      "gitlab:https://gitlab.example.com"});
  ASSERT_EQ(trackers.size(), 4u);
  EXPECT_EQ(trackers[0].api, "https://jira.example.com");
  EXPECT_EQ(trackers[1].web_host, "github.com");
  EXPECT_EQ(trackers[2].web_host, "ghe.corp");
  EXPECT_FALSE(trackers[2].github_com);  // a plain `github` is given for github.com

  EXPECT_EQ(route_ticket(*parse_ticket("DCOS-1", ""), trackers), 0u);
  EXPECT_EQ(route_ticket(*parse_ticket("https://github.com/o/r/issues/1", ""), trackers), 1u);
  EXPECT_EQ(route_ticket(*parse_ticket("https://ghe.corp/o/r/issues/1", ""), trackers), 2u);
  EXPECT_EQ(route_ticket(*parse_ticket("https://gitlab.example.com/g/p/-/issues/1", ""), trackers),
            3u);
  // A GitLab URL without /-/ still goes to the GitLab on its host.
  EXPECT_EQ(route_ticket(*parse_ticket("https://gitlab.example.com/g/p/issues/1", ""), trackers),
            3u);
  EXPECT_FALSE(route_ticket(*parse_ticket("https://jira.other.org/browse/X-1", ""), trackers));
  EXPECT_FALSE(route_ticket(*parse_ticket("https://elsewhere.org/o/r/issues/1", ""), trackers));

  // Only an API URL given: it answers github.com tickets too (a proxy or a test server).
  auto one = parse_trackers({"github:http://127.0.0.1:9"});
  EXPECT_EQ(route_ticket(*parse_ticket("https://github.com/o/r/issues/1", ""), one), 0u);
  EXPECT_FALSE(route_ticket(*parse_ticket("DCOS-1", ""), one));
}

TEST(TicketRef, BadSpecsAndDurationsNameTheOption) {
  for (const char* bad :
       {"jira", "bugzilla:https://b.org", "gitlab:ftp://x", "jira:https://u:p@j.org"}) {
    try {
      parse_tracker(bad);
      ADD_FAILURE() << bad;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("--tickets"), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find("u:p"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(parse_duration_seconds("6h"), 21600);
  EXPECT_EQ(parse_duration_seconds("30m"), 1800);
  EXPECT_EQ(parse_duration_seconds("2d"), 172800);
  EXPECT_EQ(parse_duration_seconds("0"), 0);
  EXPECT_THROW(parse_duration_seconds("soon"), Error);
  EXPECT_THROW(parse_duration_seconds("-5m"), Error);
}

}  // namespace
}  // namespace flakegrab::correlate
