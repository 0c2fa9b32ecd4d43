#include <gtest/gtest.h>

#include <string>

#include "base/error.h"
#include "correlate/junit.h"
#include "support/paths.h"
#include "support/process.h"

namespace flakegrab::correlate {
namespace {

const JunitCase& find(const JunitReport& r, const std::string& name) {
  for (const auto& c : r.cases)
    if (c.name == name) return c;
  throw std::runtime_error("no case " + name);
}

TEST(JunitRead, PytestOutcomesFollowTheTestBody) {
  auto r =
      parse_junit(test::read_file(test::fixtures_dir() / "history/junit/run1.xml"), "run1.xml");
  EXPECT_EQ(r.suite, "pytest");
  EXPECT_EQ(r.timestamp, "2026-05-19T08:00:00Z");
  EXPECT_EQ(r.hostname, "runner-01");
  EXPECT_EQ(find(r, "test_payment").outcome, Outcome::pass);
  EXPECT_EQ(find(r, "test_refund").outcome, Outcome::xfail);  // skipped type=pytest.xfail
  EXPECT_EQ(find(r, "test_legacy").outcome, Outcome::skip);
  EXPECT_EQ(find(r, "test_zone[eu]").outcome, Outcome::xpass);  // [XPASS(strict)] failure
  EXPECT_EQ(find(r, "test_tax").outcome, Outcome::fail);
  EXPECT_EQ(find(r, "test_zone[eu]").classname, "tests.test_checkout.TestShipping");
}

TEST(JunitRead, TimezoneOffsetsAreNormalisedToUtc) {
  auto r =
      parse_junit(test::read_file(test::fixtures_dir() / "history/junit/run3.xml"), "run3.xml");
  EXPECT_EQ(r.timestamp, "2026-05-21T08:00:00Z");
  EXPECT_EQ(find(r, "test_checkout_retry").outcome, Outcome::flaky);
  EXPECT_EQ(find(r, "test_checkout_retry").reruns, 1);
  EXPECT_EQ(find(r, "test_tax").outcome, Outcome::error);
}

TEST(JunitRead, UnittestXmlRunnerStyle) {
  auto r = parse_junit(test::read_file(test::fixtures_dir() / "history/junit-styles/xmlrunner.xml"),
                       "xmlrunner.xml");
  EXPECT_EQ(r.suite, "tests.test_units.TestUnits");  // run time suffix dropped
  EXPECT_EQ(find(r, "test_expected").outcome, Outcome::xfail);
  EXPECT_EQ(find(r, "test_skipped").outcome, Outcome::skip);
  EXPECT_EQ(find(r, "test_broken").outcome, Outcome::fail);
  EXPECT_EQ(find(r, "test_ok").file, "tests/test_units.py");
}

TEST(JunitRead, PytorchStyleReruns) {
  auto r =
      parse_junit(test::read_file(test::fixtures_dir() /
                                  "history/junit-styles/test_torch/TEST-TestTorch-20260519.xml"),
                  "torch.xml");
  EXPECT_EQ(find(r, "test_mul_cuda").outcome, Outcome::flaky);
  EXPECT_EQ(find(r, "test_mul_cuda").reruns, 2);
  EXPECT_EQ(find(r, "test_div_cuda").outcome, Outcome::fail);
  EXPECT_DOUBLE_EQ(find(r, "test_mul_cuda").time, 1.2);
}

TEST(JunitRead, MalformedIsAnErrorNamingTheFile) {
  try {
    parse_junit("<testsuite><testcase name='a'></testsuite>", "bad.xml");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("bad.xml: malformed XML", 0), 0u) << e.what();
  }
  EXPECT_THROW(parse_junit("<html/>", "page.xml"), Error);
}

TEST(JunitRead, DirectoryGlobAndMissingInputs) {
  auto dir = test::fixtures_dir() / "history";
  auto res = read_junit({(dir / "junit-malformed").string(), (dir / "junit/run*.xml").string(),
                         (dir / "junit/run1.xml").string(), (dir / "nothing-here").string()});
  EXPECT_EQ(res.reports.size(), 4u);  // good.xml + run1..3 (run1 named twice counts once)
  EXPECT_EQ(res.malformed, 1);
  EXPECT_EQ(res.missing, 1);
  ASSERT_EQ(res.warnings.size(), 2u);
}

TEST(JunitRead, ManyReportsInParallelKeepInputOrder) {
  test::TempDir tmp;
  std::vector<std::string> inputs;
  for (int i = 0; i < 300; ++i) {
    std::string name = "r" + std::to_string(1000 + i) + ".xml";
    std::string xml = "<testsuite name='s'><testcase classname='tests.test_m' name='test_" +
                      std::to_string(i) + "'/></testsuite>";
    if (i % 50 == 7) xml = "<testsuite><broken";
    test::write_file(tmp / name, xml);
  }
  auto res = read_junit({tmp.path().string()}, 4);
  EXPECT_EQ(res.malformed, 6);
  ASSERT_EQ(res.reports.size(), 294u);
  EXPECT_EQ(res.reports[0].cases.at(0).name, "test_0");
  EXPECT_EQ(res.reports[293].cases.at(0).name, "test_299");
}

TEST(JunitHistory, RunsPerFileOrDirectory) {
  auto dir = test::fixtures_dir() / "history";
  auto res = read_junit({(dir / "junit").string()});
  History by_file = history_from_junit(res.reports, {});
  EXPECT_EQ(by_file.runs.size(), 3u);
  EXPECT_EQ(by_file.tests.size(), 9u);
  JunitHistoryOptions by_dir_opt;
  by_dir_opt.grouping = RunGrouping::directory;
  History by_dir = history_from_junit(res.reports, by_dir_opt);
  ASSERT_EQ(by_dir.runs.size(), 1u);
  // Three reports of one test in one run: the worst of fail/pass is flaky evidence.
  for (const auto& t : by_dir.tests) {
    if (t.name != "test_cart") continue;
    ASSERT_EQ(t.runs.size(), 1u);
    EXPECT_EQ(t.runs[0].outcome, Outcome::flaky);
  }
  // Run ids are stable across invocations.
  EXPECT_EQ(history_from_junit(res.reports, {}).runs[0].run_id, by_file.runs[0].run_id);
}

}  // namespace
}  // namespace flakegrab::correlate
