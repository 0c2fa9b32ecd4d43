// The `flaky` plugin's terminal report, as box/flaky writes it into pytest's output, and how it
// joins the JUnit report of the same run.
#include <gtest/gtest.h>

#include "base/error.h"
#include "correlate/flaky_report.h"

namespace flakegrab::correlate {
namespace {

// pytest output with the plugin's section: retried failures carry the exception on tab-indented
// lines; parametrised names hold spaces and parentheses; a second section comes from xdist or a
// second session in the same log.
const char* kLog =
    "============================= test session starts ==============================\n"
    "collected 5 items\n"
    "\n"
    "tests/test_net.py ..F.                                                   [100%]\n"
    "===Flaky Test Report===\n"
    "\n"
    "test_fetch failed (1 runs remaining out of 3).\n"
    "\t<class 'ConnectionResetError'>\n"
    "\t[Errno 104] Connection reset by peer (retrying)\n"
    "\t[<TracebackEntry /src/tests/test_net.py:12>]\n"
    "test_fetch failed (0 runs remaining out of 3).\n"
    "\t<class 'TimeoutError'>\n"
    "\ttimed out\n"
    "\t[<TracebackEntry /src/tests/test_net.py:12>]\n"
    "test_fetch passed 1 out of the required 1 times. Success!\n"
    "test_retry[a b (x)] failed (1 runs remaining out of 2).\n"
    "\t<class 'AssertionError'>\n"
    "\tassert 0\n"
    "\t[]\n"
    "test_retry[a b (x)] passed 1 out of the required 1 times. Success!\n"
    "test_down failed; it passed 0 out of the required 1 times.\n"
    "\t<class 'OSError'>\n"
    "\tdown\n"
    "\t[]\n"
    "test_ok passed 1 out of the required 2 times. Running test again until it passes 2 times.\n"
    "test_ok passed 2 out of the required 2 times. Success!\n"
    "\n"
    "===End Flaky Test Report===\r\n"
    "test_outside failed (1 runs remaining out of 2).\n"
    "===Flaky Test Report===\n"
    "test_worker failed (1 runs remaining out of 2).\n"
    "\t<class 'AssertionError'>\n"
    "\n"
    "===End Flaky Test Report===\n"
    "========================= 1 failed, 4 passed in 3.10s ==========================\n";

TEST(FlakyReport, CountsRetriedFailuresPerTestInEverySection) {
  FlakyReport r = parse_flaky_report(kLog, "ci/pytest.log");
  EXPECT_TRUE(r.found);
  EXPECT_EQ(r.tests["test_fetch"].retried_failures, 2);
  EXPECT_EQ(r.tests["test_fetch"].passes, 1);
  EXPECT_FALSE(r.tests["test_fetch"].final_failure);
  EXPECT_EQ(r.tests["test_retry[a b (x)]"].retried_failures, 1);
  EXPECT_TRUE(r.tests["test_down"].final_failure);
  EXPECT_EQ(r.tests["test_down"].retried_failures, 0);
  EXPECT_EQ(r.tests["test_ok"].passes, 2);
  EXPECT_EQ(r.tests["test_worker"].retried_failures, 1);
  EXPECT_EQ(r.tests.count("test_outside"), 0u) << "outside a report section";
  EXPECT_EQ(r.tests.size(), 5u);
}

TEST(FlakyReport, ALogWithoutASectionIsFoundEmpty) {
  FlakyReport r = parse_flaky_report("collected 3 items\n... [100%]\n", "x.log");
  EXPECT_FALSE(r.found);
  EXPECT_TRUE(r.tests.empty());
}

JunitReport report(const std::string& path, std::vector<std::string> names) {
  JunitReport r;
  r.path = path;
  for (auto& n : names) r.cases.push_back({"tests.test_net", n, "", 0, Outcome::pass, 0});
  return r;
}

TEST(FlakyReport, JoinsTheReportOfTheSameStemAndMakesItsPassFlaky) {
  std::vector<JunitReport> reports{report("ci/run-001.xml", {"test_fetch", "test_retry[a b (x)]"}),
                                   report("ci/run-002.xml", {"test_fetch", "test_retry[a b (x)]"})};
  auto warnings = attach_flaky_reports(reports, {parse_flaky_report(kLog, "ci/run-002.log")});
  EXPECT_EQ(reports[0].cases[0].outcome, Outcome::pass);
  EXPECT_EQ(reports[1].cases[0].outcome, Outcome::flaky);
  EXPECT_EQ(reports[1].cases[0].reruns, 2);
  EXPECT_EQ(reports[1].cases[1].reruns, 1);
  // test_worker is not in that report: named, not guessed.
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("test_worker retried 1x, but ci/run-002.xml has no test"),
            std::string::npos)
      << warnings[0];
}

TEST(FlakyReport, ALeafNameTwoTestsShareIsNotCounted) {
  std::vector<JunitReport> reports{report("ci/junit.xml", {"test_fetch", "test_fetch"})};
  auto warnings = attach_flaky_reports(reports, {parse_flaky_report(kLog, "ci/pytest.log")});
  EXPECT_EQ(reports[0].cases[0].outcome, Outcome::pass);
  EXPECT_EQ(reports[0].cases[1].outcome, Outcome::pass);
  bool named = false;
  for (auto& w : warnings) named |= w.find("has 2 tests of that name") != std::string::npos;
  EXPECT_TRUE(named);
}

TEST(FlakyReport, ALogWithNoReportBesideItIsAnError) {
  std::vector<JunitReport> reports{report("ci/a.xml", {}), report("ci/b.xml", {})};
  try {
    attach_flaky_reports(reports, {parse_flaky_report(kLog, "ci/pytest.log")});
    FAIL() << "paired with nothing";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("ci/pytest.log: no JUnit report to pair"),
              std::string::npos)
        << e.what();
  }
  reports = {report("elsewhere/junit.xml", {})};
  EXPECT_THROW(attach_flaky_reports(reports, {parse_flaky_report(kLog, "ci/pytest.log")}), Error);
}

}  // namespace
}  // namespace flakegrab::correlate
