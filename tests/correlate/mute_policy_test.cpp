#include <gtest/gtest.h>

#include "correlate/audit.h"
#include "correlate/mute_policy.h"
#include "correlate/report.h"
#include "support/fake_tracker.h"
#include "support/process.h"

namespace flakegrab::correlate {
namespace {

Marker marker(const std::string& test, MarkerKind kind, int line) {
  Marker m;
  m.test_id = test;
  m.file = "tests/test_a.py";
  m.line = line;
  m.kind = kind;
  m.name = std::string(to_string(kind));
  return m;
}

VerdictRow muted_row(std::vector<Marker> ms) {
  VerdictRow r;
  r.test_id = ms.front().test_id;
  r.muted = true;
  r.markers = std::move(ms);
  r.verdict = Verdict::no_signal;
  r.reason = "no runs of this test in the window";
  return r;
}

TEST(MuteAge, BlameDateWhenNoSinceAndPolicyByNameKindThenDefault) {
  CorrelateResult res;
  Marker blamed = marker("tests/test_a.py::test_blamed", MarkerKind::skip, 10);
  Marker dated = marker("tests/test_a.py::test_dated", MarkerKind::xfail, 20);
  dated.since = "\"2025-01-01\"";
  Marker custom = marker("tests/test_a.py::test_custom", MarkerKind::xfail, 30);
  custom.name = "xfailflake";
  custom.since = "'2025-06-01'";
  res.rows = {muted_row({blamed}), muted_row({dated}), muted_row({custom})};
  MarkerOrigins origins{
      {marker_origin_key("tests/test_a.py", 10), {"abc123", "2024-01-01T00:00:00Z"}}};
  ExpiryPolicy p;
  p.default_days = 10000;
  p.days = {{"skip", 365}, {"xfail", 90}, {"xfailflake", 400}};
  auto warnings = apply_age(res, origins, p, "2025-07-01T00:00:00Z");
  EXPECT_TRUE(warnings.empty());

  const auto& b = res.rows[0];
  EXPECT_EQ(b.mute.age.added_at, "2024-01-01T00:00:00Z");
  EXPECT_EQ(b.mute.age.added_in, "abc123");
  EXPECT_EQ(b.evidence.days_muted, 547);
  EXPECT_EQ(b.mute.age.expires_at, "2024-12-31T00:00:00Z");  // skip = 365
  EXPECT_TRUE(b.mute.age.expired);

  const auto& d = res.rows[1];
  EXPECT_EQ(d.mute.age.added_at, "");                        // since= given: not blamed
  EXPECT_EQ(d.mute.age.expires_at, "2025-04-01T00:00:00Z");  // xfail = 90
  EXPECT_TRUE(d.mute.age.expired);

  const auto& c = res.rows[2];
  EXPECT_EQ(c.mute.age.expires_at, "2026-07-06T00:00:00Z");  // by name, 400 days
  EXPECT_FALSE(c.mute.age.expired);
}

TEST(MuteAge, FirstSeenDatesOnlyWhatGitCannot) {
  CorrelateResult res;
  Marker blamed = marker("tests/test_a.py::test_blamed", MarkerKind::skip, 10);
  Marker unknown = marker("tests/test_a.py::test_unknown", MarkerKind::skip, 20);
  Marker other_kind = marker("tests/test_a.py::test_unknown", MarkerKind::xfail, 30);
  res.rows = {muted_row({blamed}), muted_row({unknown}), muted_row({other_kind})};
  MarkerOrigins origins{
      {marker_origin_key("tests/test_a.py", 10), {"abc123", "2024-01-01T00:00:00Z"}}};
  MarkerFirstSeen seen{
      {first_seen_key(blamed.test_id, "skip", MarkerKind::skip), "2025-06-01T00:00:00Z"},
      {first_seen_key(unknown.test_id, "skip", MarkerKind::skip), "2025-06-01T00:00:00Z"}};
  ExpiryPolicy p;
  p.default_days = 20;
  apply_age(res, origins, p, "2025-07-01T00:00:00Z", seen);
  EXPECT_EQ(res.rows[0].evidence.days_muted, 547);  // git's date wins
  EXPECT_EQ(res.rows[1].evidence.days_muted, 30);
  EXPECT_EQ(res.rows[1].mute.age.added_at, "");  // not a git age
  EXPECT_EQ(res.rows[1].mute.age.expires_at, "2025-06-21T00:00:00Z");
  EXPECT_TRUE(res.rows[1].mute.age.expired);
  EXPECT_EQ(res.rows[2].evidence.days_muted, -1);  // another kind: another marker
  EXPECT_EQ(res.rows[2].mute.age.expires_at, "");
}

TEST(MuteAge, WrittenExpiresOrUntilWinsAndABadOneIsNamed) {
  CorrelateResult res;
  Marker later = marker("tests/test_a.py::test_a", MarkerKind::skip, 3);
  later.since = "\"2020-01-01\"";
  later.args = {{"reason", "\"x\""}, {"until", "\"2030-01-01\""}};
  Marker bad = marker("tests/test_a.py::test_b", MarkerKind::skip, 7);
  bad.args = {{"expires", "\"next sprint\""}};
  res.rows = {muted_row({later}), muted_row({bad})};
  ExpiryPolicy p;
  p.default_days = 30;
  auto warnings = apply_age(res, {}, p, "2025-01-01T00:00:00Z");
  EXPECT_EQ(res.rows[0].mute.age.expires_at, "2030-01-01T00:00:00Z");
  EXPECT_FALSE(res.rows[0].mute.age.expired);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("tests/test_a.py:7"), std::string::npos) << warnings[0];
  EXPECT_EQ(res.rows[1].mute.age.expires_at, "");  // no start date, no usable end date
}

TEST(MuteAge, ExpirySectionOfTheConfigFile) {
  test::TempDir dir;
  test::write_file(
      dir / "flakegrab.ini",
      "[markers]\nxfailflake = xfail\n\n[expiry]\ndefault = 180\nskip = 365\nxfailflake = 30\n");
  auto p = load_expiry_policy(dir / "flakegrab.ini");
  EXPECT_EQ(p.default_days, 180);
  EXPECT_EQ(p.days.at("skip"), 365);
  EXPECT_EQ(p.days.at("xfailflake"), 30);
  ScanConfig config = ScanConfig::defaults();
  config.markers["xfailflake"] = MarkerKind::xfail;
  EXPECT_TRUE(unknown_expiry_keys(p, config, "flakegrab.ini").empty());
  p.days["xfial"] = 90;
  auto typo = unknown_expiry_keys(p, config, "flakegrab.ini");
  ASSERT_EQ(typo.size(), 1u);
  EXPECT_EQ(typo[0],
            "flakegrab.ini: [expiry] xfial: neither a marker kind nor a marker name; ignored");
  test::write_file(dir / "bad.ini", "[expiry]\nxfail = ninety\n");
  try {
    load_expiry_policy(dir / "bad.ini");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.ini: [expiry] xfail"), std::string::npos) << e.what();
  }
}

TEST(MuteTickets, ClosedTicketRewordsTheReasonAndAuditNamesWhy) {
  test::FakeTracker jira;
  jira.answer(
      "/rest/api/2/issue/DCOS-1",
      {{200, test::jira_issue("DCOS-1", "Done", "done", "Fixed", "2024-03-01T10:00:00.000+0000")}});
  jira.answer("/rest/api/2/issue/DCOS-2",
              {{200, test::jira_issue("DCOS-2", "Resolved", "done", "Won't Fix",
                                      "2024-03-02T10:00:00.000+0000")}});
  jira.answer("/rest/api/2/issue/DCOS-3",
              {{200, test::jira_issue("DCOS-3", "Open", "new", "", "")}});

  Marker passing = marker("t.py::test_passing", MarkerKind::xfail, 1);
  passing.ticket = "\"DCOS-1\"";
  Marker failing = marker("t.py::test_failing", MarkerKind::xfail, 2);
  failing.ticket = "\"DCOS-2\"";
  Marker open = marker("t.py::test_open", MarkerKind::xfail, 3);
  open.ticket = "\"DCOS-3\"";
  Marker missing = marker("t.py::test_missing", MarkerKind::xfail, 4);
  missing.ticket = "\"DCOS-404\"";
  Marker none = marker("t.py::test_none", MarkerKind::skip, 5);
  CorrelateResult res;
  res.rows = {muted_row({passing}), muted_row({failing}), muted_row({open}), muted_row({missing}),
              muted_row({none})};
  res.rows[0].verdict = Verdict::unmute;
  res.rows[0].reason = "muted, but passed in all 4 runs with a result";
  res.rows[0].evidence.passes = 4;
  res.rows[1].verdict = Verdict::keep;
  res.rows[1].reason = "muted and still failing (2 failed, 0 passed on rerun)";
  res.rows[1].evidence.failures = 2;

  TicketLookupOptions o;
  o.trackers = parse_trackers({"jira:" + jira.url()});
  auto warnings = apply_tickets(res, o, "");
  EXPECT_TRUE(warnings.empty());
  set_audit_reasons(res);

  EXPECT_TRUE(res.rows[0].mute.ticket.closed);
  EXPECT_EQ(
      res.rows[0].reason,
      "ticket DCOS-1 is closed (Fixed) and muted, but passed in all 4 runs with a result: unmute");
  EXPECT_EQ(res.rows[1].reason.rfind("ticket DCOS-2 closed but still failing: reopen it", 0), 0u)
      << res.rows[1].reason;
  EXPECT_EQ(res.rows[1].mute.ticket.resolution, "Won't Fix");
  EXPECT_FALSE(res.rows[2].mute.ticket.closed);
  EXPECT_EQ(res.rows[2].mute.ticket.status, "open");
  EXPECT_TRUE(res.rows[2].mute.audit_reasons.empty());
  EXPECT_EQ(res.rows[3].mute.audit_reasons, std::vector<std::string>{"ticket_not_found"});
  EXPECT_EQ(res.rows[4].mute.audit_reasons, std::vector<std::string>{"no_ticket"});
  EXPECT_EQ(res.rows[4].mute.ticket.status, "");

  // Every row field has one type, in json and in the flat row.
  auto flat = flat_row(res.rows[0]);
  EXPECT_EQ(flat["ticket_status"], "closed");
  EXPECT_EQ(flat["ticket_closed_at"], "2024-03-01T10:00:00Z");
  EXPECT_EQ(flat["ticket_url"], jira.url() + "/browse/DCOS-1");
  EXPECT_EQ(flat["ticket_closed"], true);
  EXPECT_EQ(flat["audit_reasons"], "ticket_closed");
  auto empty = flat_row(VerdictRow{});
  for (const char* k : {"ticket_status", "ticket_resolution", "ticket_closed_at", "ticket_url",
                        "added_at", "added_in", "expires_at", "audit_reasons"})
    EXPECT_TRUE(empty[k].is_string()) << k;
  EXPECT_TRUE(empty["ticket_closed"].is_boolean());
  EXPECT_TRUE(empty["expired"].is_boolean());

  AuditSummary s = audit_rows(res);
  EXPECT_EQ(s.muted, 5);
  EXPECT_EQ(s.needs_human, 4);
  EXPECT_EQ(s.ticket_closed, 2);
  EXPECT_EQ(s.ticket_not_found, 1);
  EXPECT_EQ(s.no_ticket, 1);
  EXPECT_EQ(res.rows.size(), 4u);
}

TEST(MuteTickets, WithoutTrackersTheTicketIsNamedButNotLookedUp) {
  Marker m = marker("t.py::test_x", MarkerKind::xfail, 1);
  m.reason = "\"https://github.com/o/r/issues/7\"";
  CorrelateResult res;
  res.rows = {muted_row({m})};
  apply_tickets(res, {}, "");
  set_audit_reasons(res);
  EXPECT_EQ(res.rows[0].mute.ticket.status, "");
  EXPECT_EQ(res.rows[0].mute.ticket.url, "https://github.com/o/r/issues/7");
  EXPECT_TRUE(res.rows[0].mute.audit_reasons.empty());
}

}  // namespace
}  // namespace flakegrab::correlate
