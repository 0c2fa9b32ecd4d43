// Verdicts that need evidence, end to end through the CLI on generated JUnit histories:
// clean runs before an unmute (Clopper-Pearson at --confidence), the other bound before a mute.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/junit_history_builder.h"
#include "support/process.h"

namespace flakegrab::test {
namespace {

using nlohmann::json;

const std::string F = "tests/test_gen.py::";

// tests/test_gen.py with an xfail on each of `muted`.
void write_markers(const std::filesystem::path& dir, const std::vector<std::string>& muted) {
  std::string py = "import pytest\n\n";
  for (const auto& name : muted)
    py += "\n@pytest.mark.xfail(reason=\"flaky\")\ndef " + name + "():\n    pass\n\n";
  write_file(dir / "tests/test_gen.py", py);
}

// The rows by test id; a missing one is an empty object (its fields then fail the checks).
struct Rows {
  std::map<std::string, json> by_id;
  std::string out;
  const json& at(const std::string& id) const {
    static const json none = json::object();
    auto it = by_id.find(id);
    if (it == by_id.end()) ADD_FAILURE() << "no row " << id << " in " << out;
    return it == by_id.end() ? none : it->second;
  }
};

Rows rows_of(const std::string& out) {
  Rows rows{{}, out};
  const json doc = json::parse(out);
  for (const auto& t : doc["tests"]) rows.by_id[t["test_id"].get<std::string>()] = t;
  return rows;
}

struct Generated {
  TempDir tmp;
  RunResult correlate(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{
        "correlate", "--scan-dir", (tmp / "repo").string(), "--junit", (tmp / "junit").string(),
        "--as-of",   "2026-12-31"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
};

TEST(CorrelateEvidenceCli, CleanMutedTestsNeedFiftyNineRunsAtDefaults) {
  Generated g;
  JunitHistoryBuilder(200)
      .test("test_three", last_runs(3, 200))
      .test("test_58", last_runs(58, 200))
      .test("test_59", last_runs(59, 200))
      .test("test_200", always("pass"))
      .write(g.tmp / "junit");
  write_markers(g.tmp / "repo", {"test_three", "test_58", "test_59", "test_200"});
  auto r = g.correlate();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto rows = rows_of(r.out);
  const json& three = rows.at(F + "test_three");
  EXPECT_EQ(three["verdict"], "keep");
  EXPECT_EQ(three["runs_needed"], 56);
  EXPECT_EQ(three["reason"].get<std::string>().rfind("passing, 3 of 59 clean runs needed", 0), 0u)
      << three["reason"];
  EXPECT_NEAR(three["fail_rate_upper"].get<double>(), 0.631597, 1e-6);  // 1 - 0.05^(1/3)
  EXPECT_EQ(rows.at(F + "test_58")["verdict"], "keep");
  EXPECT_EQ(rows.at(F + "test_58")["runs_needed"], 1);
  EXPECT_NEAR(rows.at(F + "test_58")["fail_rate_upper"].get<double>(), 0.050339, 1e-6);
  EXPECT_EQ(rows.at(F + "test_59")["verdict"], "unmute");
  EXPECT_EQ(rows.at(F + "test_59")["runs_needed"], 0);
  EXPECT_NEAR(rows.at(F + "test_59")["fail_rate_upper"].get<double>(), 0.049508, 1e-6);
  EXPECT_EQ(rows.at(F + "test_200")["verdict"], "unmute");
  EXPECT_EQ(rows.at(F + "test_200")["streak"], "pass:200");

  // --min-runs is a floor on top of the bound; a stricter rate or confidence asks for more.
  rows = rows_of(g.correlate({"--min-runs", "100"}).out);
  EXPECT_EQ(rows.at(F + "test_59")["verdict"], "keep");
  EXPECT_EQ(rows.at(F + "test_59")["runs_needed"], 41);
  EXPECT_EQ(rows.at(F + "test_200")["verdict"], "unmute");
  rows = rows_of(g.correlate({"--max-fail-rate", "0.01", "--confidence", "0.99"}).out);
  EXPECT_EQ(rows.at(F + "test_200")["verdict"], "keep");
  EXPECT_EQ(rows.at(F + "test_200")["runs_needed"], 259);  // 459 in all
}

TEST(CorrelateEvidenceCli, UnmutedTestsAreMutedOnlyWhenSurelyAboveTheRate) {
  Generated g;
  JunitHistoryBuilder(200)
      .test("test_once", except({120}))                                   // 1 failure in 200
      .test("test_two_percent", except({20, 70, 120, 170}))               // 4 in 200
      .test("test_fifth", [](int i) { return i % 5 ? "pass" : "fail"; })  // 40 in 200
      .test("test_muted_flaky",
            [](int i) {
              // Muted, 2 failures in its last 100 runs: not yet enough for an unmute.
              return i < 100 ? std::string() : i == 130 || i == 160 ? "fail" : "pass";
            })
      .write(g.tmp / "junit");
  write_markers(g.tmp / "repo", {"test_muted_flaky"});
  auto r = g.correlate();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto rows = rows_of(r.out);
  const json& once = rows.at(F + "test_once");
  EXPECT_EQ(once["verdict"], "ok");
  EXPECT_NE(once["reason"].get<std::string>().find("too few to call it flaky"), std::string::npos)
      << once["reason"];
  EXPECT_NEAR(once["fail_rate_lower"].get<double>(), 0.000256, 1e-6);
  EXPECT_EQ(rows.at(F + "test_two_percent")["verdict"], "ok");
  EXPECT_EQ(rows.at(F + "test_fifth")["verdict"], "mute");  // at least 15.5% at 95%
  const json& muted = rows.at(F + "test_muted_flaky");
  EXPECT_EQ(muted["verdict"], "keep");
  EXPECT_GT(muted["runs_needed"].get<int>(), 0);
  EXPECT_NEAR(muted["fail_rate_upper"].get<double>(), 0.0616, 1e-3);

  // A 2% failure rate is a flake at a stricter threshold, once there are enough runs.
  rows = rows_of(g.correlate({"--max-fail-rate", "0.005"}).out);
  EXPECT_EQ(rows.at(F + "test_two_percent")["verdict"], "mute");
  EXPECT_EQ(rows.at(F + "test_once")["verdict"], "ok");
}

}  // namespace
}  // namespace flakegrab::test

namespace flakegrab::test {
namespace {

TEST(CorrelateEvidenceCli, RegressionIsBrokenSinceItsRunNotFlaky) {
  Generated g;
  // Passed in runs 1..39, failed in every run from run 40 of 60 on (0-based 39).
  JunitHistoryBuilder b(60);
  b.test("test_regressed", [](int i) { return i < 39 ? "pass" : "fail"; })
      .test("test_muted_regressed", [](int i) { return i < 39 ? "pass" : "fail"; })
      .test("test_alternating", [](int i) { return i % 2 ? "fail" : "pass"; })
      .test("test_steady", always("pass"))
      .revision([](int i) { return "rev" + std::to_string(1000 + i); });
  b.write(g.tmp / "junit");
  write_markers(g.tmp / "repo", {"test_muted_regressed"});
  auto r = g.correlate();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto rows = rows_of(r.out);
  const json& reg = rows.at(F + "test_regressed");
  EXPECT_EQ(reg["verdict"], "fix");
  EXPECT_EQ(reg["broken_since_revision"], "rev1039");
  EXPECT_EQ(reg["broken_since_at"], b.timestamp(39));
  EXPECT_NE(reg["broken_since_run"], "");
  EXPECT_EQ(reg["streak"], "fail:21");
  EXPECT_NEAR(reg["flip_rate"].get<double>(), 1.0 / 59, 1e-9);
  EXPECT_NE(reg["reason"].get<std::string>().find("rev1039"), std::string::npos) << reg["reason"];
  const json& muted = rows.at(F + "test_muted_regressed");
  EXPECT_EQ(muted["verdict"], "keep");
  EXPECT_EQ(muted["broken_since_revision"], "rev1039");
  // Alternating outcomes are flaky: mute, never "broken since".
  const json& alt = rows.at(F + "test_alternating");
  EXPECT_EQ(alt["verdict"], "mute");
  EXPECT_EQ(alt["broken_since_run"], "");
  EXPECT_NEAR(alt["flip_rate"].get<double>(), 1.0, 1e-9);
  EXPECT_EQ(rows.at(F + "test_steady")["flip_rate"].get<double>(), 0.0);
}

TEST(CorrelateEvidenceCli, InfrastructureFailureRunsAreNotEvidence) {
  Generated g;
  // 60 runs; in run 30 every test failed (the runner lost its database): without that run the
  // muted test has 59 clean runs.
  auto outage = [](int i) { return i == 30 ? "error" : "pass"; };
  JunitHistoryBuilder(60)
      .test("test_muted", outage)
      .test("test_a", outage)
      .test("test_b", outage)
      .test("test_c", [](int i) { return i == 30 ? "fail" : "pass"; })
      .test("test_d", outage)
      .test("test_e", always("pass"))  // 5 of 6 failed in run 30: more than 80%
      .write(g.tmp / "junit");
  write_markers(g.tmp / "repo", {"test_muted"});
  auto r = g.correlate();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = json::parse(r.out);
  EXPECT_EQ(doc["summary"]["runs_excluded_infra"], 1);
  EXPECT_EQ(doc["summary"]["runs"], 60);
  auto rows = rows_of(r.out);
  EXPECT_EQ(rows.at(F + "test_muted")["verdict"], "unmute");
  EXPECT_EQ(rows.at(F + "test_muted")["failures"], 0);
  EXPECT_EQ(rows.at(F + "test_a")["streak"], "pass:59");
  auto md = g.correlate({"--format", "markdown"});
  EXPECT_NE(md.out.find("🚧"), std::string::npos) << md.out;
  rows = rows_of(g.correlate({"--infra-fail-ratio", "1"}).out);
  EXPECT_EQ(rows.at(F + "test_muted")["verdict"], "keep");
  EXPECT_EQ(rows.at(F + "test_muted")["failures"], 1);
}

}  // namespace
}  // namespace flakegrab::test

namespace flakegrab::test {
namespace {

// Each producer's rerun elements make a passing run flaky evidence: no unmute however many
// clean runs there are, and the run counts as bad for the mute bound.
TEST(CorrelateEvidenceCli, RerunsOfEveryProducerAreFlakyEvidence) {
  Generated g;
  const std::string pytest_rerun = R"(<rerun message="assert 0">boom</rerun>)";
  const std::string surefire_flaky =
      R"(<flakyFailure message="expected" type="java.lang.AssertionError"/>)";
  const std::string surefire_error = R"(<flakyError message="timeout" type="IOException"/>)";
  auto once = [](std::string extra) {
    return [extra](int i) { return i == 50 ? extra : std::string("pass"); };
  };
  JunitHistoryBuilder(100)
      .test("test_pytest_rerun", once(pytest_rerun))
      .test("test_surefire_flaky_failure", once(surefire_flaky))
      .test("test_surefire_flaky_error", once(surefire_error))
      // Failed every attempt: Surefire writes <failure> plus <rerunFailure> per rerun.
      .test("test_surefire_rerun_failure",
            once(R"(<failure message="x"/><rerunFailure message="x"/><rerunFailure message="x"/>)"))
      .test("test_clean", always("pass"))
      .write(g.tmp / "junit");
  write_markers(g.tmp / "repo",
                {"test_pytest_rerun", "test_surefire_flaky_failure", "test_surefire_flaky_error",
                 "test_surefire_rerun_failure", "test_clean"});
  auto r = g.correlate();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto rows = rows_of(r.out);
  for (const char* t :
       {"test_pytest_rerun", "test_surefire_flaky_failure", "test_surefire_flaky_error"}) {
    const json& row = rows.at(F + t);
    EXPECT_EQ(row["verdict"], "keep") << t;
    EXPECT_EQ(row["flaky_runs"], 1) << t;
    EXPECT_EQ(row["failures"], 0) << t;
    EXPECT_NE(row["reason"].get<std::string>().find("flaky"), std::string::npos) << row["reason"];
  }
  // A test that failed every rerun failed: a failure, not a flake.
  EXPECT_EQ(rows.at(F + "test_surefire_rerun_failure")["failures"], 1);
  EXPECT_EQ(rows.at(F + "test_surefire_rerun_failure")["flaky_runs"], 0);
  EXPECT_EQ(rows.at(F + "test_clean")["verdict"], "unmute");
}

// The flaky plugin reruns a failing @flaky test inside the run and JUnit sees a plain pass; its
// terminal report, saved beside the run's report, is what shows the retry.
TEST(CorrelateEvidenceCli, TheFlakyPluginsReportMakesARetriedPassFlaky) {
  Generated g;
  JunitHistoryBuilder(100)
      .test("test_retried", always("pass"))
      .test("test_clean", always("pass"))
      .write(g.tmp / "junit");
  write_markers(g.tmp / "repo", {"test_retried", "test_clean"});
  write_file(g.tmp / "junit/run-050.log",
             "tests/test_gen.py ..\n===Flaky Test Report===\n\n"
             "test_retried failed (1 runs remaining out of 2).\n\t<class 'AssertionError'>\n"
             "\tassert 0\n\t[]\n"
             "test_retried passed 1 out of the required 1 times. Success!\n"
             "\n===End Flaky Test Report===\n");
  auto without = rows_of(g.correlate().out);
  EXPECT_EQ(without.at(F + "test_retried")["verdict"], "unmute");
  auto r = g.correlate({"--flaky-report", (g.tmp / "junit/run-050.log").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto rows = rows_of(r.out);
  EXPECT_EQ(rows.at(F + "test_retried")["verdict"], "keep");
  EXPECT_EQ(rows.at(F + "test_retried")["flaky_runs"], 1);
  EXPECT_EQ(rows.at(F + "test_clean")["verdict"], "unmute");
  // A log with no report of its run beside it stops the command, naming the log.
  write_file(g.tmp / "elsewhere.log", "");
  auto bad = g.correlate({"--flaky-report", (g.tmp / "elsewhere.log").string()});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("elsewhere.log: no JUnit report to pair"), std::string::npos) << bad.err;
}

// Interrupted runs (bundle status) are not evidence either: bundle the reports, mark one run
// interrupted, and judge the bundle.
TEST(CorrelateEvidenceCli, InterruptedBundleRunsAreNotEvidence) {
  Generated g;
  JunitHistoryBuilder(60)
      .test("test_muted", [](int i) { return i == 10 ? "fail" : "pass"; })
      .write(g.tmp / "junit");
  write_markers(g.tmp / "repo", {"test_muted"});
  auto b = run_cli({"bundle", "--junit", (g.tmp / "junit").string()});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  auto bundle = json::parse(b.out);
  const std::string failed_run = bundle["tests"][0]["results_by_context"][0]["failing_run_ids"][0];
  for (auto& run : bundle["runs"])
    if (run["run_id"] == failed_run) run["status"] = "interrupted";
  write_file(g.tmp / "bundle.json", bundle.dump());
  auto r = run_cli({"correlate", "--scan-dir", (g.tmp / "repo").string(), "--bundle",
                    (g.tmp / "bundle.json").string(), "--as-of", "2026-12-31"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = json::parse(r.out);
  EXPECT_EQ(doc["summary"]["runs_excluded_interrupted"], 1);
  auto rows = rows_of(r.out);
  EXPECT_EQ(rows.at(F + "test_muted")["verdict"], "unmute");
  EXPECT_EQ(rows.at(F + "test_muted")["runs"], 59);
}

// Per branch: history runs carry source_branch; main is green, release/2.0 is red. Markers
// scanned from a branch are judged on that branch's runs (runs without a branch count for all);
// --history-branch judges them on another branch's.
TEST(CorrelateEvidenceCli, EachBranchIsJudgedOnItsOwnRuns) {
  Generated g;
  // Even runs on main (all pass), odd runs on release/2.0 (test_gen fails there).
  JunitHistoryBuilder(240)
      .test("test_api", [](int i) { return i % 2 ? "fail" : "pass"; })
      .branch([](int i) { return i % 2 ? "release/2.0" : "main"; })
      .write(g.tmp / "junit");
  write_markers(g.tmp / "repo", {"test_api"});
  // A dump-like scan document per branch: the same markers, on two branches.
  auto scan = run_cli({"scan", (g.tmp / "repo").string()});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  json doc = json::parse(scan.out);
  json main_doc = doc, release_doc = doc;
  main_doc["branch"] = "main";
  main_doc["repo"] = "git@example.com:team/app.git";
  main_doc["commit"] = "";
  release_doc["branch"] = "release/2.0";
  release_doc["repo"] = "git@example.com:team/app.git";
  release_doc["commit"] = "";
  write_file(g.tmp / "scans.json",
             json{{"schema_version", 1}, {"scans", {main_doc, release_doc}}}.dump());
  auto r = run_cli({"correlate", "--scan", (g.tmp / "scans.json").string(), "--junit",
                    (g.tmp / "junit").string(), "--as-of", "2026-12-31"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, json> by_branch;
  const json out = json::parse(r.out);
  for (const auto& t : out["tests"]) by_branch[t["history_branch"].get<std::string>()] = t;
  ASSERT_EQ(by_branch.size(), 2u) << r.out;
  EXPECT_EQ(by_branch["main"]["verdict"], "unmute");
  EXPECT_EQ(by_branch["main"]["runs"], 120);
  EXPECT_EQ(by_branch["release/2.0"]["verdict"], "keep");
  EXPECT_EQ(by_branch["release/2.0"]["failures"], 120);

  // Judge every branch's markers on main's runs.
  r = run_cli({"correlate", "--scan", (g.tmp / "scans.json").string(), "--junit",
               (g.tmp / "junit").string(), "--as-of", "2026-12-31", "--history-branch", "main"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json on_main = json::parse(r.out);
  ASSERT_EQ(on_main["tests"].size(), 2u);
  for (const auto& t : on_main["tests"]) EXPECT_EQ(t["verdict"], "unmute") << t;
}

}  // namespace
}  // namespace flakegrab::test

namespace flakegrab::test {
namespace {

// 80 nightly runs make 80 dates: markdown shows the newest 14 as columns and sums up the rest
// in the evidence column.
TEST(CorrelateEvidenceCli, MarkdownShowsEvidenceAndTheNewestDates) {
  Generated g;
  JunitHistoryBuilder(80)
      .test("test_waiting", last_runs(14, 80))
      .test("test_ready", [](int i) { return i == 3 ? "fail" : "pass"; })
      .write(g.tmp / "junit");
  write_markers(g.tmp / "repo", {"test_waiting", "test_ready"});
  auto r = g.correlate({"--format", "markdown", "--ascii"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string header = r.out.substr(0, r.out.find('\n'));
  int dates = 0;
  for (std::size_t at = header.find('/'); at != std::string::npos; at = header.find('/', at + 1))
    ++dates;
  EXPECT_EQ(dates, 14) << header;
  EXPECT_NE(header.find("| Evidence"), std::string::npos) << header;
  EXPECT_NE(r.out.find("14/59 clean"), std::string::npos) << r.out;
  // test_ready: 79 clean of 80, its failure long before the date columns.
  EXPECT_NE(r.out.find("79/93 clean, 1 failed; older: 66 runs, 1 bad"), std::string::npos) << r.out;
  r = g.correlate({"--format", "markdown", "--columns", "3"});
  std::string head3 = r.out.substr(0, r.out.find('\n'));
  EXPECT_EQ(std::count(head3.begin(), head3.end(), '/'), 3) << head3;
}

}  // namespace
}  // namespace flakegrab::test
