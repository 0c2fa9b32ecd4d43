#include "correlate/bundle_build.h"

#include <algorithm>

#include "correlate/bundle.h"
#include "correlate/test_identity.h"
#include "correlate/time_util.h"

namespace flakegrab::correlate {
namespace {

std::optional<std::string> non_empty(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

}  // namespace

Bundle bundle_from_history(const History& h, const BundleOptions& options) {
  Bundle b;
  b.generated_at = options.generated_at;
  b.generator_name = "flakegrab";
  b.generator_version = options.generator_version;
  BundleWindow w;
  if (options.retention_days > 0) w.retention_days = options.retention_days;
  for (const auto& r : h.runs) {
    if (r.started_at.empty()) continue;
    if (!w.oldest_run_uploaded_at || r.started_at < *w.oldest_run_uploaded_at)
      w.oldest_run_uploaded_at = r.started_at;
    if (!w.newest_run_uploaded_at || r.started_at > *w.newest_run_uploaded_at)
      w.newest_run_uploaded_at = r.started_at;
  }
  b.window = w;
  for (const auto& r : h.runs) {
    BundleRun br;
    br.run_id = r.run_id;
    br.suite = non_empty(r.suite);
    br.source_revision = non_empty(r.revision.empty() ? options.source_revision : r.revision);
    br.source_branch = non_empty(r.branch.empty() ? options.source_branch : r.branch);
    br.started_at = non_empty(r.started_at);
    if (r.duration_seconds >= 0) {
      br.duration_seconds = r.duration_seconds;
      if (auto start = parse_iso8601(r.started_at))
        br.finished_at = format_iso8601(*start + r.duration_seconds);
    }
    br.runner_id = non_empty(r.runner_id);
    br.status = r.status;
    b.runs.push_back(std::move(br));
  }
  for (const auto& t : h.tests) {
    BundleTest bt;
    bt.test_id = t.history_id;
    bt.suite = non_empty(t.suite);
    bt.nodeid = non_empty(t.nodeid);
    bt.classname = non_empty(t.classname);
    bt.file = non_empty(t.file);
    // Conventional split of "<suite>::<module>::<test_name>": module is the file part.
    auto sep = t.nodeid.find("::");
    bt.module = non_empty(sep == std::string::npos ? std::string() : t.nodeid.substr(0, sep));
    bt.name = sep == std::string::npos ? t.nodeid : t.nodeid.substr(sep + 2);
    if (bt.name.empty()) bt.name = t.name;
    ContextResult c;
    c.gfx_api = c.quality = c.custom_profile_hash = std::nullopt;
    for (const auto& ro : t.runs) {
      if (is_pass(ro.outcome)) {
        c.passing_run_ids.push_back(ro.run_id);
        if (ro.outcome == Outcome::flaky) c.rerun_run_ids.push_back(ro.run_id);
        c.last_status = "pass";
        c.last_run_id = ro.run_id;
      } else if (is_fail(ro.outcome)) {
        c.failing_run_ids.push_back(ro.run_id);
        c.last_status = "fail";
        c.last_run_id = ro.run_id;
      } else {
        c.skipped_run_ids.push_back(ro.run_id);
      }
    }
    c.pass_count = static_cast<std::int64_t>(c.passing_run_ids.size());
    c.fail_count = static_cast<std::int64_t>(c.failing_run_ids.size());
    if (c.pass_count + c.fail_count > 0)
      c.pass_rate =
          static_cast<double>(c.pass_count) / static_cast<double>(c.pass_count + c.fail_count);
    bt.overall.pass_count = c.pass_count;
    bt.overall.fail_count = c.fail_count;
    bt.overall.pass_rate = c.pass_rate;
    bt.overall.flake_classification = classify(c.pass_count, c.fail_count);
    bt.overall.is_flaky = is_flaky_class(bt.overall.flake_classification);
    bt.results_by_context.push_back(std::move(c));
    b.tests.push_back(std::move(bt));
  }
  return b;
}

}  // namespace flakegrab::correlate
