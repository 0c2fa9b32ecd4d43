#include <gtest/gtest.h>

#include <string>

#include "base/error.h"
#include "correlate/bundle.h"
#include "support/paths.h"
#include "support/process.h"

namespace flakegrab::correlate {
namespace {

using nlohmann::json;

json sample() {
  return json::parse(test::read_file(test::contracts_dir() / "flake-history-bundle-sample.json"));
}

// The error message for reading `doc`, "" when it reads fine.
std::string error_of(const json& doc) {
  try {
    bundle_from_json(doc, "b.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(BundleRead, SharedSampleReads) {
  Bundle b = bundle_from_json(sample(), "sample.json");
  EXPECT_EQ(b.schema_version, 1);
  ASSERT_EQ(b.runs.size(), 4u);
  EXPECT_EQ(b.runs[2].status, "interrupted");
  EXPECT_FALSE(b.runs[2].finished_at.has_value());
  ASSERT_FALSE(b.tests.empty());
  EXPECT_EQ(b.tests[0].test_id, "smoketest::vehicle_test.py::test_handbrake[etk800]");
  EXPECT_EQ(b.tests[1].overall.flake_classification, "broken");
  EXPECT_EQ(
      b.runs[3].artifacts_url.value_or(""),
      "https://gitlab.example.com/example-team/example-project/-/jobs/45678/artifacts/download");
}

TEST(BundleRead, SampleHistoryStripsSuitePrefixFromNodeId) {
  History h = history_from_bundle(bundle_from_json(sample(), "sample.json"));
  ASSERT_FALSE(h.tests.empty());
  EXPECT_EQ(h.tests[0].nodeid, "vehicle_test.py::test_handbrake[etk800]");
  EXPECT_EQ(h.tests[0].runs.size(), 2u);
  EXPECT_EQ(h.tests[1].runs.front().outcome, Outcome::fail);
}

TEST(BundleRead, MissingSchemaVersionIsRejected) {
  json doc = sample();
  doc.erase("schema_version");
  EXPECT_NE(error_of(doc).find("b.json: schema_version: missing"), std::string::npos)
      << error_of(doc);
}

TEST(BundleRead, SchemaVersionTwoIsRejected) {
  json doc = sample();
  doc["schema_version"] = 2;
  EXPECT_NE(error_of(doc).find("schema_version: unsupported value 2"), std::string::npos);
  doc["schema_version"] = "1";
  EXPECT_NE(error_of(doc).find("schema_version"), std::string::npos);
}

TEST(BundleRead, WrongTypesNameTheField) {
  json doc = sample();
  doc["tests"][1]["overall"]["pass_count"] = -1;
  EXPECT_EQ(error_of(doc), "b.json: tests[1].overall.pass_count: expected integer >= 0");
  doc = sample();
  doc["runs"][0]["pipeline_id"] = "12340";
  EXPECT_EQ(error_of(doc), "b.json: runs[0].pipeline_id: expected integer or null");
  doc = sample();
  doc["tests"][0]["results_by_context"][1]["passing_run_ids"][0] = 7;
  EXPECT_EQ(error_of(doc),
            "b.json: tests[0].results_by_context[1].passing_run_ids[0]: expected string");
  doc = sample();
  doc["tests"][0]["overall"]["is_flaky"] = "no";
  EXPECT_EQ(error_of(doc), "b.json: tests[0].overall.is_flaky: expected boolean");
  doc = sample();
  doc["tests"][0]["results_by_context"][0]["pass_rate"] = 1.5;
  EXPECT_EQ(error_of(doc),
            "b.json: tests[0].results_by_context[0].pass_rate: expected number in [0, 1] or null");
}

TEST(BundleRead, BadEnumsNameTheField) {
  json doc = sample();
  doc["runs"][1]["status"] = "done";
  EXPECT_EQ(error_of(doc),
            "b.json: runs[1].status: expected one of complete, interrupted, unknown");
  doc = sample();
  doc["tests"][2]["overall"]["flake_classification"] = "flaky";
  EXPECT_NE(error_of(doc).find("tests[2].overall.flake_classification: expected one of"),
            std::string::npos);
  doc = sample();
  doc["tests"][0]["results_by_context"][0]["last_status"] = "skip";
  EXPECT_NE(error_of(doc).find("tests[0].results_by_context[0].last_status"), std::string::npos);
}

TEST(BundleRead, MissingRequiredFieldsAreNamed) {
  json doc = sample();
  doc["tests"][0].erase("overall");
  EXPECT_EQ(error_of(doc), "b.json: tests[0].overall: missing required field");
  doc = sample();
  doc["runs"][0].erase("run_id");
  EXPECT_EQ(error_of(doc), "b.json: runs[0].run_id: missing required field");
  doc = sample();
  doc.erase("generated_at");
  EXPECT_EQ(error_of(doc), "b.json: generated_at: missing required field");
}

TEST(BundleRead, AdditionalPropertiesAndNullOptionalsAreAccepted) {
  json doc = sample();
  doc["x_extra"] = {{"anything", true}};
  doc["runs"][0]["x_note"] = 3;
  doc["runs"][0]["suite"] = nullptr;
  doc["tests"][0]["overall"]["pass_rate"] = nullptr;
  doc["tests"][0]["results_by_context"][0].erase("pass_count");
  EXPECT_EQ(error_of(doc), "");
}

TEST(BundleRead, NotJsonIsOneClearError) {
  try {
    parse_bundle("{not json", "x.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "x.json: not valid JSON");
  }
}

}  // namespace
}  // namespace flakegrab::correlate
