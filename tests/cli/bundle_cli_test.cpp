#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "support/paths.h"
#include "support/process.h"

namespace flakegrab::test {
namespace {

std::string history(const std::string& rel) {
  return (fixtures_dir() / "history" / rel).string();
}

TEST(BundleCli, WritesAValidBundleThatReadsBack) {
  TempDir tmp;
  auto out = (tmp / "bundle.json").string();
  auto r = run_cli({"bundle", "--junit", history("junit"), "--retention-days", "14", "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto b = nlohmann::json::parse(read_file(out));
  EXPECT_EQ(b["schema_version"], 1);
  EXPECT_EQ(b["window"]["retention_days"], 14);
  EXPECT_EQ(b["window"]["oldest_run_uploaded_at"], "2026-05-19T08:00:00Z");
  EXPECT_EQ(b["runs"].size(), 3u);
  EXPECT_EQ(b["tests"].size(), 9u);
  auto v = run("/usr/bin/python3",
               {"-c",
                "import json,sys,jsonschema\nV=jsonschema.Draft202012Validator\n"
                "V(json.load(open(sys.argv[1])),format_checker=V.FORMAT_CHECKER).validate(json."
                "load(open(sys.argv[2])))",
                (contracts_dir() / "flake-history-bundle.v1.schema.json").string(), out});
  EXPECT_EQ(v.exit_code, 0) << v.err;
  // The bundle it wrote is accepted as correlate input.
  auto c =
      run_cli({"correlate", "--bundle", out, "--scan-dir", history("repo"), "--format", "csv"});
  EXPECT_EQ(c.exit_code, 0) << c.err;
  EXPECT_NE(c.out.find("tests/test_checkout.py::test_tax,"), std::string::npos) << c.out;
}

// A retry by the flaky plugin is only in its terminal report: given beside run1.xml, that run
// becomes a rerun run of the test, and nothing else changes.
TEST(BundleCli, TheFlakyPluginsReportAddsRerunRuns) {
  TempDir tmp;
  std::filesystem::copy(history("junit"), tmp / "junit");
  write_file(tmp / "junit/run1.log",
             "===Flaky Test Report===\n\ntest_payment failed (1 runs remaining out of 2).\n"
             "\t<class 'AssertionError'>\n\tassert 0\n\t[]\n"
             "test_payment passed 1 out of the required 1 times. Success!\n\n"
             "===End Flaky Test Report===\n");
  auto rerun_runs = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"bundle", "--junit", (tmp / "junit").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, std::size_t> n;
    const auto doc = nlohmann::json::parse(r.out);
    for (const auto& t : doc["tests"]) {
      const auto& ctx = t["results_by_context"][0];
      n[t["name"].get<std::string>()] =
          ctx.contains("rerun_run_ids") ? ctx["rerun_run_ids"].size() : 0;
    }
    return n;
  };
  EXPECT_EQ(rerun_runs({})["test_payment"], 0u);
  auto with = rerun_runs({"--flaky-report", (tmp / "junit/run1.log").string()});
  EXPECT_EQ(with["test_payment"], 1u);
  EXPECT_EQ(with["test_cart"], 0u);
}

TEST(BundleCli, MalformedReportIsSkippedAndTheResultIsPartial) {
  auto r = run_cli({"bundle", "--junit", history("junit-malformed")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("broken.xml: malformed XML"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1 malformed"), std::string::npos) << r.err;
  auto b = nlohmann::json::parse(r.out);
  EXPECT_EQ(b["tests"].size(), 1u);
}

TEST(BundleCli, NothingReadableIsExitTwo) {
  auto r = run_cli({"bundle", "--junit", history("junit-malformed/broken.xml")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("no readable JUnit report"), std::string::npos) << r.err;
}

TEST(BundleCli, GlobsAndSuiteOverride) {
  auto r = run_cli({"bundle", "--junit", history("junit/run[12].xml"), "--suite", "checkout"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto b = nlohmann::json::parse(r.out);
  EXPECT_EQ(b["runs"].size(), 2u);
  EXPECT_EQ(
      b["tests"][0]["test_id"].get<std::string>().rfind("checkout::tests/test_checkout.py::", 0),
      0u);
}

}  // namespace
}  // namespace flakegrab::test
