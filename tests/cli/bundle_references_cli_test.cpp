#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/paths.h"
#include "support/process.h"

namespace flakegrab::test {
namespace {

std::string history(const std::string& rel) {
  return (fixtures_dir() / "history" / rel).string();
}

nlohmann::json fixture_bundle() {
  return nlohmann::json::parse(read_file(history("bundle-checkout.json")));
}

std::string verdict_of(const nlohmann::json& doc, const std::string& test_id) {
  for (const auto& t : doc["tests"])
    if (t["test_id"] == test_id) return t["verdict"];
  return "(absent)";
}

TEST(BundleReferencesCli, DanglingRunIdIsWarnedAndNeverCountsAsAPass) {
  TempDir tmp;
  auto b = fixture_bundle();
  ASSERT_EQ(b["tests"][0]["name"], "test_payment");
  // The xfail-marked test's only passing runs name no run of the bundle.
  b["tests"][0]["results_by_context"][0]["passing_run_ids"] = {"no-such-run", "no-such-run-2"};
  write_file(tmp / "b.json", b.dump());
  auto r = run_cli({"correlate", "--scan-dir", history("repo"), "--bundle",
                    (tmp / "b.json").string(), "--as-of", "2026-05-22"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("flakegrab: warning: " + (tmp / "b.json").string() +
                       ": tests[0].results_by_context[0].passing_run_ids[0]: 'no-such-run' "
                       "names no run in runs[] (ignored)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("passing_run_ids[1]: 'no-such-run-2'"), std::string::npos) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_NE(verdict_of(doc, "tests/test_checkout.py::test_payment"), "unmute");
  EXPECT_EQ(verdict_of(doc, "tests/test_checkout.py::test_payment"), "no_signal") << r.out;
}

TEST(BundleReferencesCli, RepeatedReferenceCountsOnce) {
  TempDir tmp;
  auto b = fixture_bundle();
  auto& ids = b["tests"][0]["results_by_context"][0]["passing_run_ids"];
  ids.push_back(ids[0]);
  write_file(tmp / "b.json", b.dump());
  auto r = run_cli({"correlate", "--scan-dir", history("repo"), "--bundle",
                    (tmp / "b.json").string(), "--as-of", "2026-05-22", "--format", "ndjson"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("passing_run_ids[3]: '" + ids[0].get<std::string>() +
                       "' is listed twice (counted once)"),
            std::string::npos)
      << r.err;
}

TEST(BundleReferencesCli, DuplicateRunIdIsAnErrorNamingBothIndices) {
  TempDir tmp;
  auto b = fixture_bundle();
  b["runs"][2]["run_id"] = b["runs"][0]["run_id"];
  write_file(tmp / "b.json", b.dump());
  auto r =
      run_cli({"correlate", "--scan-dir", history("repo"), "--bundle", (tmp / "b.json").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("flakegrab: " + (tmp / "b.json").string() +
                       ": runs[2].run_id: duplicate "
                       "run id '" +
                       b["runs"][0]["run_id"].get<std::string>() + "' (also runs[0].run_id)"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

}  // namespace
}  // namespace flakegrab::test
