#include <gtest/gtest.h>

#include "correlate/bundle.h"
#include "correlate/bundle_build.h"
#include "correlate/junit.h"
#include "support/paths.h"
#include "support/process.h"

namespace flakegrab::correlate {
namespace {

Bundle fixture_bundle() {
  auto res = read_junit({(test::fixtures_dir() / "history/junit").string(),
                         (test::fixtures_dir() / "history/junit-styles").string()});
  BundleOptions opt;
  opt.generated_at = "2026-05-22T00:00:00Z";
  opt.generator_version = "test";
  opt.retention_days = 14;
  opt.source_branch = "main";
  return bundle_from_history(history_from_junit(res.reports, {}), opt);
}

const BundleTest& test_named(const Bundle& b, const std::string& id) {
  for (const auto& t : b.tests)
    if (t.test_id == id) return t;
  throw std::runtime_error("no test " + id);
}

TEST(BundleClassify, ContractThresholds) {
  EXPECT_EQ(classify(0, 0), "stable");
  EXPECT_EQ(classify(19, 1), "stable");  // 0.95
  EXPECT_EQ(classify(18, 2), "intermittent");
  EXPECT_EQ(classify(1, 1), "intermittent");  // 0.5
  EXPECT_EQ(classify(1, 3), "actively_flaky");
  EXPECT_EQ(classify(0, 3), "broken");
  EXPECT_TRUE(is_flaky_class("intermittent"));
  EXPECT_TRUE(is_flaky_class("actively_flaky"));
  EXPECT_FALSE(is_flaky_class("broken"));
}

TEST(BundleBuild, FixtureCountsAndClasses) {
  Bundle b = fixture_bundle();
  EXPECT_EQ(b.runs.size(), 5u);
  const auto& refund = test_named(b, "pytest::tests/test_checkout.py::test_refund");
  EXPECT_EQ(refund.overall.pass_count, 1);  // xfail twice = body failed twice
  EXPECT_EQ(refund.overall.fail_count, 2);
  EXPECT_EQ(refund.overall.flake_classification, "actively_flaky");
  EXPECT_TRUE(refund.overall.is_flaky);
  const auto& tax = test_named(b, "pytest::tests/test_checkout.py::test_tax");
  EXPECT_EQ(tax.overall.flake_classification, "broken");
  EXPECT_EQ(tax.module.value_or(""), "tests/test_checkout.py");
  EXPECT_EQ(tax.name, "test_tax");
  const auto& legacy = test_named(b, "pytest::tests/test_checkout.py::test_legacy");
  EXPECT_FALSE(legacy.overall.pass_rate.has_value());
  EXPECT_EQ(legacy.results_by_context.at(0).skipped_run_ids.size(), 3u);
  const auto& mul = test_named(b, "pytest::test_torch.py::TestTorch::test_mul_cuda");
  EXPECT_EQ(mul.results_by_context.at(0).rerun_run_ids.size(), 1u);
  EXPECT_EQ(mul.results_by_context.at(0).last_status.value_or(""), "pass");
}

TEST(BundleRoundTrip, WriteReadWriteIsIdentical) {
  auto first = to_json(fixture_bundle());
  Bundle back = bundle_from_json(first, "roundtrip.json");
  EXPECT_EQ(to_json(back), first);
  History h = history_from_bundle(back);
  EXPECT_EQ(h.tests.size(), back.tests.size());
}

// Null and absent mean the same for optional fields; compare without nulls.
nlohmann::json without_nulls(const nlohmann::json& j) {
  if (j.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (auto& [k, v] : j.items())
      if (!v.is_null()) out[k] = without_nulls(v);
    return out;
  }
  if (j.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : j) out.push_back(without_nulls(v));
    return out;
  }
  return j;
}

TEST(BundleRoundTrip, SharedSampleSurvivesReadWrite) {
  auto sample = without_nulls(nlohmann::json::parse(
      test::read_file(test::contracts_dir() / "flake-history-bundle-sample.json")));
  auto again = without_nulls(to_json(bundle_from_json(sample, "sample")));
  EXPECT_EQ(again["runs"], sample["runs"]);
  EXPECT_EQ(again["tests"], sample["tests"]);
}

TEST(BundleRoundTrip, WrittenBundleValidatesAgainstTheContractSchema) {
  test::TempDir tmp;
  test::write_file(tmp / "bundle.json", to_json(fixture_bundle()).dump(2));
  auto r = test::run("/usr/bin/python3",
                     {"-c",
                      "import json,sys,jsonschema\n"
                      "V=jsonschema.Draft202012Validator\n"
                      "V(json.load(open(sys.argv[1])),format_checker=V.FORMAT_CHECKER)"
                      ".validate(json.load(open(sys.argv[2])))\n",
                      (test::contracts_dir() / "flake-history-bundle.v1.schema.json").string(),
                      (tmp / "bundle.json").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace flakegrab::correlate
