#include "correlate/bundle.h"

namespace flakegrab::correlate {
namespace {

using nlohmann::json;

// Optional fields the producer knew are written (null included); unknown ones are omitted,
// which the schema allows for every non-required field.
template <typename T>
void put(json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}

json to_json(const BundleRun& r) {
  json j = json::object();
  j["run_id"] = r.run_id;
  put(j, "suite", r.suite);
  put(j, "gfx_api", r.gfx_api);
  put(j, "quality", r.quality);
  put(j, "custom_profile_hash", r.custom_profile_hash);
  put(j, "source_revision", r.source_revision);
  put(j, "source_branch", r.source_branch);
  put(j, "pipeline_id", r.pipeline_id);
  put(j, "pipeline_url", r.pipeline_url);
  put(j, "artifacts_url", r.artifacts_url);
  put(j, "started_at", r.started_at);
  put(j, "finished_at", r.finished_at);
  put(j, "duration_seconds", r.duration_seconds);
  put(j, "runner_id", r.runner_id);
  j["status"] = r.status;
  return j;
}

json nullable(const std::optional<std::string>& v) {
  return v ? json(*v) : json(nullptr);
}
json nullable(const std::optional<double>& v) {
  return v ? json(*v) : json(nullptr);
}

json to_json(const ContextResult& c) {
  json j = json::object();
  j["gfx_api"] = nullable(c.gfx_api);
  j["quality"] = nullable(c.quality);
  j["custom_profile_hash"] = nullable(c.custom_profile_hash);
  j["passing_run_ids"] = c.passing_run_ids;
  j["failing_run_ids"] = c.failing_run_ids;
  if (!c.skipped_run_ids.empty()) j["skipped_run_ids"] = c.skipped_run_ids;
  if (!c.rerun_run_ids.empty()) j["rerun_run_ids"] = c.rerun_run_ids;
  j["pass_count"] = c.pass_count;
  j["fail_count"] = c.fail_count;
  j["pass_rate"] = nullable(c.pass_rate);
  j["last_status"] = nullable(c.last_status);
  j["last_run_id"] = nullable(c.last_run_id);
  return j;
}

json to_json(const BundleTest& t) {
  json j = json::object();
  j["test_id"] = t.test_id;
  put(j, "suite", t.suite);
  j["name"] = t.name;
  put(j, "module", t.module);
  put(j, "nodeid", t.nodeid);
  put(j, "classname", t.classname);
  put(j, "file", t.file);
  j["results_by_context"] = json::array();
  for (const auto& c : t.results_by_context) j["results_by_context"].push_back(to_json(c));
  j["overall"] = {{"pass_count", t.overall.pass_count},
                  {"fail_count", t.overall.fail_count},
                  {"pass_rate", nullable(t.overall.pass_rate)},
                  {"is_flaky", t.overall.is_flaky},
                  {"flake_classification", t.overall.flake_classification}};
  return j;
}

}  // namespace

std::string classify(std::int64_t pass_count, std::int64_t fail_count) {
  return std::string(to_string(classify_flake(pass_count, fail_count)));
}

bool is_flaky_class(std::string_view c) {
  return c == to_string(FlakeClass::intermittent) || c == to_string(FlakeClass::actively_flaky);
}

json to_json(const Bundle& b) {
  json j = json::object();
  j["schema_version"] = b.schema_version;
  j["generated_at"] = b.generated_at;
  if (b.generator_name || b.generator_version) {
    j["generator"] = json::object();
    put(j["generator"], "name", b.generator_name);
    put(j["generator"], "version", b.generator_version);
  }
  if (b.window) {
    json w = json::object();
    put(w, "retention_days", b.window->retention_days);
    w["oldest_run_uploaded_at"] = nullable(b.window->oldest_run_uploaded_at);
    w["newest_run_uploaded_at"] = nullable(b.window->newest_run_uploaded_at);
    j["window"] = w;
  }
  j["runs"] = json::array();
  for (const auto& r : b.runs) j["runs"].push_back(to_json(r));
  j["tests"] = json::array();
  for (const auto& t : b.tests) j["tests"].push_back(to_json(t));
  return j;
}

}  // namespace flakegrab::correlate
