
#include <map>
#include <set>

#include "base/error.h"
#include "base/read_file.h"
#include "correlate/bundle.h"
#include "correlate/time_util.h"

namespace flakegrab::correlate {
namespace {

using nlohmann::json;

// Walks the document with a field path so every error names exactly what is wrong.
struct Checker {
  const std::string& source;

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw Error(source + ": " + path + ": " + what);
  }
  const json& object(const json& j, const std::string& path) const {
    if (!j.is_object()) fail(path, "expected object");
    return j;
  }
  const json& array(const json& j, const std::string& path) const {
    if (!j.is_array()) fail(path, "expected array");
    return j;
  }
  const json& required(const json& obj, const std::string& path, const char* key) const {
    auto it = obj.find(key);
    if (it == obj.end()) fail(path.empty() ? key : path + "." + key, "missing required field");
    return *it;
  }
  static std::string join(const std::string& path, const char* key) {
    return path.empty() ? key : path + "." + key;
  }
  std::string string(const json& obj, const std::string& path, const char* key) const {
    const json& v = required(obj, path, key);
    if (!v.is_string()) fail(join(path, key), "expected string");
    return v.get<std::string>();
  }
  std::optional<std::string> opt_string(const json& obj, const std::string& path,
                                        const char* key) const {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) fail(join(path, key), "expected string or null");
    return it->get<std::string>();
  }
  std::optional<std::string> opt_time(const json& obj, const std::string& path,
                                      const char* key) const {
    auto v = opt_string(obj, path, key);
    if (v && !parse_iso8601(*v)) fail(join(path, key), "expected ISO 8601 date-time");
    return v;
  }
  std::optional<std::int64_t> opt_int(const json& obj, const std::string& path, const char* key,
                                      std::int64_t minimum, bool nullable) const {
    auto it = obj.find(key);
    if (it == obj.end()) return std::nullopt;
    if (it->is_null()) {
      if (!nullable) fail(join(path, key), "expected integer >= " + std::to_string(minimum));
      return std::nullopt;
    }
    if (!it->is_number_integer() || it->get<std::int64_t>() < minimum)
      fail(join(path, key), "expected integer >= " + std::to_string(minimum));
    return it->get<std::int64_t>();
  }
  std::int64_t count(const json& obj, const std::string& path, const char* key,
                     bool is_required) const {
    if (is_required) required(obj, path, key);
    return opt_int(obj, path, key, 0, false).value_or(0);
  }
  std::optional<double> rate(const json& obj, const std::string& path, const char* key) const {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return std::nullopt;
    if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 1)
      fail(join(path, key), "expected number in [0, 1] or null");
    return it->get<double>();
  }
  std::vector<std::string> ids(const json& obj, const std::string& path, const char* key,
                               bool is_required) const {
    std::vector<std::string> out;
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (is_required) fail(join(path, key), "missing required field");
      return out;
    }
    const std::string p = join(path, key);
    array(*it, p);
    for (std::size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_string()) fail(p + "[" + std::to_string(i) + "]", "expected string");
      out.push_back((*it)[i].get<std::string>());
    }
    return out;
  }
};

BundleRun read_run(const Checker& c, const json& j, const std::string& p) {
  c.object(j, p);
  BundleRun r;
  r.run_id = c.string(j, p, "run_id");
  r.status = c.string(j, p, "status");
  if (r.status != "complete" && r.status != "interrupted" && r.status != "unknown")
    c.fail(p + ".status", "expected one of complete, interrupted, unknown");
  r.suite = c.opt_string(j, p, "suite");
  r.gfx_api = c.opt_string(j, p, "gfx_api");
  r.quality = c.opt_string(j, p, "quality");
  r.custom_profile_hash = c.opt_string(j, p, "custom_profile_hash");
  r.source_revision = c.opt_string(j, p, "source_revision");
  r.source_branch = c.opt_string(j, p, "source_branch");
  if (j.contains("pipeline_id") && !j["pipeline_id"].is_null() &&
      !j["pipeline_id"].is_number_integer())
    c.fail(p + ".pipeline_id", "expected integer or null");
  if (j.contains("pipeline_id") && j["pipeline_id"].is_number_integer())
    r.pipeline_id = j["pipeline_id"].get<std::int64_t>();
  r.pipeline_url = c.opt_string(j, p, "pipeline_url");
  r.artifacts_url = c.opt_string(j, p, "artifacts_url");
  r.started_at = c.opt_time(j, p, "started_at");
  r.finished_at = c.opt_time(j, p, "finished_at");
  r.duration_seconds = c.opt_int(j, p, "duration_seconds", 0, true);
  r.runner_id = c.opt_string(j, p, "runner_id");
  return r;
}

ContextResult read_context(const Checker& c, const json& j, const std::string& p) {
  c.object(j, p);
  ContextResult r;
  r.gfx_api = c.opt_string(j, p, "gfx_api");
  r.quality = c.opt_string(j, p, "quality");
  r.custom_profile_hash = c.opt_string(j, p, "custom_profile_hash");
  r.passing_run_ids = c.ids(j, p, "passing_run_ids", true);
  r.failing_run_ids = c.ids(j, p, "failing_run_ids", true);
  r.skipped_run_ids = c.ids(j, p, "skipped_run_ids", false);
  r.rerun_run_ids = c.ids(j, p, "rerun_run_ids", false);
  r.pass_count = j.contains("pass_count") ? c.count(j, p, "pass_count", false)
                                          : static_cast<std::int64_t>(r.passing_run_ids.size());
  r.fail_count = j.contains("fail_count") ? c.count(j, p, "fail_count", false)
                                          : static_cast<std::int64_t>(r.failing_run_ids.size());
  r.pass_rate = c.rate(j, p, "pass_rate");
  r.last_status = c.opt_string(j, p, "last_status");
  if (r.last_status && *r.last_status != "pass" && *r.last_status != "fail")
    c.fail(p + ".last_status", "expected one of pass, fail, null");
  r.last_run_id = c.opt_string(j, p, "last_run_id");
  return r;
}

BundleTest read_test(const Checker& c, const json& j, const std::string& p) {
  c.object(j, p);
  BundleTest t;
  t.test_id = c.string(j, p, "test_id");
  t.name = c.string(j, p, "name");
  t.suite = c.opt_string(j, p, "suite");
  t.module = c.opt_string(j, p, "module");
  t.nodeid = c.opt_string(j, p, "nodeid");
  t.classname = c.opt_string(j, p, "classname");
  t.file = c.opt_string(j, p, "file");
  const json& ctxs = c.array(c.required(j, p, "results_by_context"), p + ".results_by_context");
  for (std::size_t i = 0; i < ctxs.size(); ++i)
    t.results_by_context.push_back(
        read_context(c, ctxs[i], p + ".results_by_context[" + std::to_string(i) + "]"));
  const std::string op = p + ".overall";
  const json& o = c.object(c.required(j, p, "overall"), op);
  t.overall.pass_count = c.count(o, op, "pass_count", true);
  t.overall.fail_count = c.count(o, op, "fail_count", true);
  t.overall.pass_rate = c.rate(o, op, "pass_rate");
  const json& flaky = c.required(o, op, "is_flaky");
  if (!flaky.is_boolean()) c.fail(op + ".is_flaky", "expected boolean");
  t.overall.is_flaky = flaky.get<bool>();
  t.overall.flake_classification = c.string(o, op, "flake_classification");
  const auto& fc = t.overall.flake_classification;
  if (fc != "stable" && fc != "intermittent" && fc != "actively_flaky" && fc != "broken")
    c.fail(op + ".flake_classification",
           "expected one of stable, intermittent, actively_flaky, broken");
  return t;
}

// A run id listed by a test must name a run of the bundle, once: a dangling one would count
// as a real run (and could make `unmute`), a repeated one would count twice.
void drop_bad_references(std::vector<std::string>& ids,
                         const std::map<std::string, std::size_t>& runs, const std::string& path,
                         std::vector<std::string>& warnings) {
  std::set<std::string> seen;
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::string at = path + "[" + std::to_string(i) + "]";
    if (!runs.count(ids[i])) {
      warnings.push_back(at + ": '" + ids[i] + "' names no run in runs[] (ignored)");
    } else if (!seen.insert(ids[i]).second) {
      warnings.push_back(at + ": '" + ids[i] + "' is listed twice (counted once)");
    } else {
      kept.push_back(std::move(ids[i]));
    }
  }
  ids = std::move(kept);
}

}  // namespace

Bundle bundle_from_json(const json& doc, const std::string& source) {
  Checker c{source};
  if (!doc.is_object()) c.fail("(root)", "expected object");
  auto sv = doc.find("schema_version");
  if (sv == doc.end()) c.fail("schema_version", "missing required field (only version 1 is read)");
  if (!sv->is_number_integer() || sv->get<std::int64_t>() != 1)
    c.fail("schema_version", "unsupported value " + sv->dump() + " (only version 1 is read)");
  Bundle b;
  b.generated_at = c.string(doc, "", "generated_at");
  if (!parse_iso8601(b.generated_at)) c.fail("generated_at", "expected ISO 8601 date-time");
  if (auto it = doc.find("_comment"); it != doc.end() && !it->is_string())
    c.fail("_comment", "expected string");
  if (auto it = doc.find("generator"); it != doc.end()) {
    c.object(*it, "generator");
    b.generator_name = c.opt_string(*it, "generator", "name");
    b.generator_version = c.opt_string(*it, "generator", "version");
  }
  if (auto it = doc.find("window"); it != doc.end()) {
    c.object(*it, "window");
    BundleWindow w;
    w.retention_days = c.opt_int(*it, "window", "retention_days", 1, false);
    w.oldest_run_uploaded_at = c.opt_time(*it, "window", "oldest_run_uploaded_at");
    w.newest_run_uploaded_at = c.opt_time(*it, "window", "newest_run_uploaded_at");
    b.window = w;
  }
  const json& runs = c.array(c.required(doc, "", "runs"), "runs");
  std::map<std::string, std::size_t> run_index;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const std::string p = "runs[" + std::to_string(i) + "]";
    b.runs.push_back(read_run(c, runs[i], p));
    auto [it, fresh] = run_index.emplace(b.runs.back().run_id, i);
    if (!fresh)
      c.fail(p + ".run_id", "duplicate run id '" + it->first + "' (also runs[" +
                                std::to_string(it->second) + "].run_id)");
  }
  const json& tests = c.array(c.required(doc, "", "tests"), "tests");
  for (std::size_t i = 0; i < tests.size(); ++i) {
    const std::string p = "tests[" + std::to_string(i) + "]";
    b.tests.push_back(read_test(c, tests[i], p));
    auto& ctxs = b.tests.back().results_by_context;
    for (std::size_t k = 0; k < ctxs.size(); ++k) {
      const std::string cp = source + ": " + p + ".results_by_context[" + std::to_string(k) + "].";
      drop_bad_references(ctxs[k].passing_run_ids, run_index, cp + "passing_run_ids", b.warnings);
      drop_bad_references(ctxs[k].failing_run_ids, run_index, cp + "failing_run_ids", b.warnings);
      drop_bad_references(ctxs[k].skipped_run_ids, run_index, cp + "skipped_run_ids", b.warnings);
      drop_bad_references(ctxs[k].rerun_run_ids, run_index, cp + "rerun_run_ids", b.warnings);
    }
  }
  return b;
}

Bundle parse_bundle(std::string_view text, const std::string& source) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) throw Error(source + ": not valid JSON");
  return bundle_from_json(doc, source);
}

Bundle read_bundle_file(const std::filesystem::path& path) {
  return parse_bundle(read_whole_file(path), path.string());
}

}  // namespace flakegrab::correlate
