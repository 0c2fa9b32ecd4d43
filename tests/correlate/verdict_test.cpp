#include <gtest/gtest.h>

#include "correlate/junit.h"
#include "correlate/test_identity.h"
#include "correlate/verdict.h"
#include "support/paths.h"

namespace flakegrab::correlate {
namespace {

Marker marker(const std::string& test_id, const std::string& name, MarkerKind kind,
              MarkerScope scope = MarkerScope::function) {
  Marker m;
  m.test_id = test_id;
  m.file = test_id.substr(0, test_id.find("::"));
  m.line = 10;
  m.name = name;
  m.kind = kind;
  m.scope = scope;
  m.effective = scope != MarkerScope::fixture;
  return m;
}

History fixture_history() {
  auto res = read_junit({(test::fixtures_dir() / "history/junit").string()});
  return history_from_junit(res.reports, {});
}

const VerdictRow& row(const CorrelateResult& r, const std::string& test_id) {
  for (const auto& x : r.rows)
    if (x.test_id == test_id) return x;
  throw std::runtime_error("no row " + test_id);
}

const std::string kFile = "tests/test_checkout.py";

// The fixture has three runs: too few for an unmute or a mute at the default 95%. These tests
// are about identity and evidence, so they judge at settings three runs can meet: 0/3 failed
// is at most 11% at 30% confidence, 1/3 at least 33%.
CorrelateOptions loose(std::string as_of = "") {
  CorrelateOptions o;
  o.as_of = std::move(as_of);
  o.judge.confidence = 0.3;
  o.judge.max_fail_rate = 0.2;
  return o;
}

TEST(Verdict, EveryVerdictFromFixtureHistory) {
  std::vector<Marker> ms{
      marker(kFile + "::test_payment", "xfail", MarkerKind::xfail),
      marker(kFile + "::test_refund", "xfailflake", MarkerKind::custom),
      marker(kFile + "::test_legacy", "skip", MarkerKind::skip),
      marker(kFile + "::test_renamed_away", "xfail", MarkerKind::xfail),
      marker(kFile + "::TestShipping::test_zone", "xfail", MarkerKind::xfail),
      marker(kFile + "::db", "skip", MarkerKind::skip, MarkerScope::fixture),
  };
  ms[1].since = "\"2019-01-25\"";
  auto r = correlate(ms, fixture_history(), loose("2019-02-04T00:00:00Z"));
  EXPECT_EQ(row(r, kFile + "::test_payment").verdict, Verdict::unmute);
  EXPECT_EQ(row(r, kFile + "::test_refund").verdict, Verdict::keep);
  EXPECT_EQ(row(r, kFile + "::test_refund").evidence.days_muted, 10);
  EXPECT_EQ(row(r, kFile + "::test_legacy").verdict, Verdict::no_signal);
  EXPECT_EQ(row(r, kFile + "::test_legacy").evidence.skips, 3);
  EXPECT_EQ(row(r, kFile + "::test_renamed_away").verdict, Verdict::orphan);
  EXPECT_EQ(row(r, kFile + "::test_cart").verdict, Verdict::mute);
  EXPECT_EQ(row(r, kFile + "::test_checkout_retry").verdict, Verdict::mute);  // passed on rerun
  EXPECT_EQ(row(r, kFile + "::test_checkout_retry").evidence.flaky_runs, 1);
  EXPECT_EQ(row(r, kFile + "::test_tax").verdict, Verdict::fix);
  EXPECT_EQ(row(r, kFile + "::test_total").verdict, Verdict::ok);
  // A strict XPASS is a pass of the body: both parametrisations may be unmuted.
  EXPECT_EQ(row(r, kFile + "::TestShipping::test_zone[eu]").verdict, Verdict::unmute);
  EXPECT_EQ(row(r, kFile + "::TestShipping::test_zone[us]").verdict, Verdict::unmute);
  // The fixture marker mutes nothing and is reported flagged.
  const auto& fx = row(r, kFile + "::db");
  EXPECT_EQ(fx.verdict, Verdict::ignored);
  EXPECT_FALSE(fx.muted);
  EXPECT_FALSE(fx.markers.at(0).effective);
  EXPECT_EQ(r.summary.markers_fixture, 1);
  EXPECT_EQ(r.summary.markers_unmatched, 1);
  EXPECT_EQ(r.summary.history_unmatched, 4);  // cart, tax, total, checkout_retry
}

TEST(Verdict, EvidenceCarriesCountsRateAndLastRun) {
  auto h = fixture_history();
  auto r =
      correlate({marker(kFile + "::test_refund", "xfailflake", MarkerKind::custom)}, h, loose());
  const auto& e = row(r, kFile + "::test_refund").evidence;
  EXPECT_EQ(e.runs, 3);
  EXPECT_EQ(e.passes, 1);
  EXPECT_EQ(e.failures, 2);
  EXPECT_NEAR(e.pass_rate, 1.0 / 3, 1e-9);
  EXPECT_EQ(e.last_status, "xfail");
  EXPECT_EQ(e.last_run_id, h.runs.back().run_id);
  EXPECT_EQ(e.last_run_at, "2026-05-21T08:00:00Z");
  EXPECT_EQ(e.days_muted, -1);  // no `since`
  EXPECT_EQ(row(r, kFile + "::test_total").evidence.pass_rate, 1.0);
  EXPECT_EQ(row(r, kFile + "::test_legacy").evidence.pass_rate, -1);
}

TEST(Verdict, WeakLeafMatchIsNeverUnmuted) {
  // The marker sits in a file the history never mentions; only the leaf name is shared.
  auto r = correlate({marker("elsewhere/test_other.py::test_payment", "xfail", MarkerKind::xfail)},
                     fixture_history(), loose());
  const auto& x = row(r, kFile + "::test_payment");
  EXPECT_EQ(x.match, "leaf");
  EXPECT_TRUE(x.weak_match);
  EXPECT_EQ(x.verdict, Verdict::keep);
  EXPECT_EQ(r.summary.markers_weak, 1);
}

TEST(Verdict, MarkerOnARedefinedTestMutesNothing) {
  // Two `test_payment` definitions: the earlier one's xfail is shadowed (effective=false), so
  // the passing test is judged unmarked, and the shadowed marker is reported as ignored.
  Marker shadowed = marker(kFile + "::test_payment", "xfail", MarkerKind::xfail);
  shadowed.effective = false;
  auto r = correlate({shadowed}, fixture_history(), loose());
  int ignored = 0;
  for (const auto& x : r.rows) {
    if (x.test_id != kFile + "::test_payment") continue;
    if (x.verdict == Verdict::ignored) {
      ++ignored;
      EXPECT_NE(x.reason.find("later definition"), std::string::npos) << x.reason;
    } else {
      EXPECT_EQ(x.verdict, Verdict::ok);
      EXPECT_FALSE(x.muted);
    }
  }
  EXPECT_EQ(ignored, 1);
}

TEST(Verdict, ModuleMarkerCoversEveryTestInIt) {
  auto r = correlate({marker(kFile, "skip", MarkerKind::skip, MarkerScope::module)},
                     fixture_history(), loose());
  for (const auto& x : r.rows) EXPECT_TRUE(x.muted) << x.test_id;
  EXPECT_EQ(row(r, kFile + "::test_tax").verdict, Verdict::keep);
  EXPECT_EQ(row(r, kFile + "::test_total").verdict, Verdict::unmute);
}

TEST(Verdict, WindowDropsOldRuns) {
  auto h = restrict_window(fixture_history(), 1, "2026-05-21T12:00:00Z");
  ASSERT_EQ(h.runs.size(), 1u);
  auto r = correlate({}, h, loose());
  EXPECT_EQ(row(r, kFile + "::test_cart").verdict, Verdict::ok);  // its failure was on 05/20
}

}  // namespace
}  // namespace flakegrab::correlate

namespace flakegrab::correlate {
namespace {

TEST(Verdict, PassingOnlyOnRerunsIsFlakyNotBroken) {
  History h;
  h.runs = {{"r1", "2026-05-01T00:00:00Z", "complete", "", "", -1, "", "", ""},
            {"r2", "2026-05-02T00:00:00Z", "complete", "", "", -1, "", "", ""}};
  TestHistory t;
  t.history_id = "pytest::tests/test_a.py::test_b";
  t.nodeid = "tests/test_a.py::test_b";
  t.name = "test_b";
  t.runs = {{"r1", "2026-05-01T00:00:00Z", "complete", Outcome::flaky, 1},
            {"r2", "2026-05-02T00:00:00Z", "complete", Outcome::flaky, 2}};
  h.tests.push_back(t);
  CorrelateOptions o;
  o.judge.confidence = 0.3;
  o.judge.max_fail_rate = 0.2;
  auto r = correlate({}, h, o);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].verdict, Verdict::mute);
  EXPECT_EQ(r.rows[0].evidence.classification, FlakeClass::actively_flaky);
  EXPECT_EQ(r.rows[0].evidence.pass_rate, 1.0);
}

}  // namespace
}  // namespace flakegrab::correlate
