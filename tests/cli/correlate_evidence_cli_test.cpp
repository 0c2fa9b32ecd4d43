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
