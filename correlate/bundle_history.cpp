#include <map>
#include <set>

#include "correlate/bundle.h"

namespace flakegrab::correlate {
namespace {

// The node id a bundle test stands for: flakegrab's own `nodeid` when present, else the
// test_id without its conventional "<suite>::" prefix.
std::string nodeid_of(const BundleTest& t) {
  if (t.nodeid) return *t.nodeid;
  std::string id = t.test_id;
  if (t.suite && id.rfind(*t.suite + "::", 0) == 0) return id.substr(t.suite->size() + 2);
  return id;
}

}  // namespace

History history_from_bundle(const Bundle& b) {
  History h;
  std::map<std::string, const BundleRun*> runs;
  for (const auto& r : b.runs) {
    runs[r.run_id] = &r;
    RunInfo info;
    info.run_id = r.run_id;
    // Ordered by start; a run that only says when it finished is placed there.
    info.started_at = r.started_at.value_or(r.finished_at.value_or(""));
    info.branch = r.source_branch.value_or("");
    info.revision = r.source_revision.value_or("");
    info.status = r.status;
    info.suite = r.suite.value_or("");
    info.runner_id = r.runner_id.value_or("");
    info.duration_seconds = r.duration_seconds.value_or(-1);
    h.runs.push_back(std::move(info));
  }
  for (const auto& t : b.tests) {
    TestHistory th;
    th.history_id = t.test_id;
    th.nodeid = nodeid_of(t);
    th.classname = t.classname.value_or("");
    th.name = t.name;
    for (const auto& c : t.results_by_context) {
      std::set<std::string> reruns(c.rerun_run_ids.begin(), c.rerun_run_ids.end());
      auto add = [&](const std::string& id, Outcome o) {
        RunOutcome ro;
        ro.run_id = id;
        if (auto it = runs.find(id); it != runs.end()) {
          ro.started_at = it->second->started_at.value_or(it->second->finished_at.value_or(""));
          ro.run_status = it->second->status;
        } else {
          ro.run_status = "unknown";
        }
        ro.outcome = o;
        if (o == Outcome::pass && reruns.count(id)) {
          ro.outcome = Outcome::flaky;
          ro.reruns = 1;
        }
        th.runs.push_back(std::move(ro));
      };
      for (const auto& id : c.passing_run_ids) add(id, Outcome::pass);
      for (const auto& id : c.failing_run_ids) add(id, Outcome::fail);
      for (const auto& id : c.skipped_run_ids) add(id, Outcome::skip);
    }
    h.tests.push_back(std::move(th));
  }
  sort_runs(h);
  return h;
}

}  // namespace flakegrab::correlate
