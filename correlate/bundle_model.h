#pragma once
// Plain structs mirroring flake-history-bundle v1 (../shared/contracts). Optional schema
// fields are std::optional: absent and null both read as nullopt (the schema gives them the
// same meaning); run fields are then omitted on write, context fields written as null.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flakegrab::correlate {

struct BundleRun {
  std::string run_id;
  std::optional<std::string> suite, gfx_api, quality, custom_profile_hash;
  std::optional<std::string> source_revision, source_branch;
  std::optional<std::int64_t> pipeline_id;
  std::optional<std::string> pipeline_url, artifacts_url;
  std::optional<std::string> started_at, finished_at;
  std::optional<std::int64_t> duration_seconds;
  std::optional<std::string> runner_id;
  std::string status = "unknown";  // complete | interrupted | unknown
};

struct ContextResult {
  std::optional<std::string> gfx_api, quality, custom_profile_hash;
  std::vector<std::string> passing_run_ids, failing_run_ids;
  // Additive v1 fields written by flakegrab: runs where the test was skipped (no signal)
  // and runs where it passed only after a rerun (flaky evidence; also in passing_run_ids).
  std::vector<std::string> skipped_run_ids, rerun_run_ids;
  std::int64_t pass_count = 0, fail_count = 0;
  std::optional<double> pass_rate;
  std::optional<std::string> last_status;  // pass | fail
  std::optional<std::string> last_run_id;
};

struct OverallStats {
  std::int64_t pass_count = 0, fail_count = 0;
  std::optional<double> pass_rate;
  bool is_flaky = false;
  std::string flake_classification = "stable";  // stable | intermittent | actively_flaky | broken
};

struct BundleTest {
  std::string test_id;
  std::optional<std::string> suite;
  std::string name;
  std::optional<std::string> module;
  // Additive: the pytest node id and JUnit identity, when the producer knew them.
  std::optional<std::string> nodeid, classname, file;
  std::vector<ContextResult> results_by_context;
  OverallStats overall;
};

struct BundleWindow {
  std::optional<std::int64_t> retention_days;
  std::optional<std::string> oldest_run_uploaded_at, newest_run_uploaded_at;
};

struct Bundle {
  std::int64_t schema_version = 1;
  std::string generated_at;
  std::optional<std::string> generator_name, generator_version;
  std::optional<BundleWindow> window;
  std::vector<BundleRun> runs;
  std::vector<BundleTest> tests;
  // Reading, not the document: references that named no run (or a run twice) and were dropped.
  std::vector<std::string> warnings;
};

}  // namespace flakegrab::correlate
