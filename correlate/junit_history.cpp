#include <cmath>
#include <cstdio>
#include <map>

#include "base/fnv1a.h"
#include "correlate/junit.h"
#include "correlate/test_identity.h"

namespace flakegrab::correlate {
namespace {

// A stable run id that does not change between producer runs. The seed is the historical
// (one digit short) FNV offset basis, kept so ids of runs already pushed stay the same.
std::string stable_id(const std::string& text) {
  std::uint64_t h = fnv1a64(text, 1469598103934665603ULL);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return std::string(buf, 12);
}

// Same test twice in one run (reruns written as separate testcases): a pass after a failure
// is flaky; otherwise the worse outcome stands.
Outcome merge(Outcome a, Outcome b) {
  if ((is_pass(a) && is_fail(b)) || (is_fail(a) && is_pass(b))) return Outcome::flaky;
  if (is_fail(a)) return a;
  if (is_fail(b)) return b;
  if (a == Outcome::flaky || b == Outcome::flaky) return Outcome::flaky;
  if (a == Outcome::skip) return b;
  return a;
}

}  // namespace

History history_from_junit(const std::vector<JunitReport>& reports,
                           const JunitHistoryOptions& options) {
  const RunGrouping grouping = options.grouping;
  History h;
  std::map<std::string, std::size_t> run_of_group;
  std::map<std::string, std::size_t> test_of_id;
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> cell;  // (test, run) -> runs[i]
  std::vector<double> durations;
  for (const auto& r : reports) {
    std::string group = grouping == RunGrouping::file
                            ? r.path
                            : std::filesystem::path(r.path).parent_path().string();
    auto [it, fresh] = run_of_group.try_emplace(group, h.runs.size());
    if (fresh) {
      RunInfo run;
      // Hash the last two path parts, not the whole path, so the same reports read from
      // another checkout or working directory keep their run ids.
      std::filesystem::path g(group);
      std::string tail = (g.parent_path().filename() / g.filename()).generic_string();
      run.run_id = stable_id(tail + "\n" + r.timestamp + "\n" + r.hostname);
      run.started_at = r.timestamp;
      run.status = "complete";
      run.suite = r.suite;
      run.runner_id = r.hostname;
      run.branch = r.branch;
      run.revision = r.revision;
      h.runs.push_back(run);
      durations.push_back(-1);
    }
    const std::size_t ri = it->second;
    RunInfo& run = h.runs[ri];
    if (!r.timestamp.empty() && (run.started_at.empty() || r.timestamp < run.started_at))
      run.started_at = r.timestamp;
    if (r.time >= 0) durations[ri] = std::max(0.0, durations[ri]) + r.time;
    const std::string suite = !options.suite.empty() ? options.suite
                              : r.suite.empty()      ? "pytest"
                                                     : r.suite;
    for (const auto& c : r.cases) {
      std::string nodeid = nodeid_from_junit(c.classname, c.name, c.file);
      std::string id = suite + "::" + nodeid;
      auto [tit, tfresh] = test_of_id.try_emplace(id, h.tests.size());
      if (tfresh) {
        TestHistory t;
        t.history_id = id;
        t.nodeid = nodeid;
        t.classname = c.classname;
        t.name = c.name;
        t.suite = suite;
        t.file = c.file;
        h.tests.push_back(std::move(t));
      }
      TestHistory& t = h.tests[tit->second];
      auto [cit, cfresh] = cell.try_emplace({tit->second, ri}, t.runs.size());
      if (cfresh) {
        t.runs.push_back({run.run_id, run.started_at, run.status, c.outcome, c.reruns});
      } else {
        auto& ro = t.runs[cit->second];
        ro.outcome = merge(ro.outcome, c.outcome);
        ro.reruns += c.reruns + (ro.outcome == Outcome::flaky ? 1 : 0);
      }
    }
  }
  std::map<std::string, std::string> start_of;
  for (std::size_t i = 0; i < h.runs.size(); ++i) {
    if (durations[i] >= 0) h.runs[i].duration_seconds = std::llround(durations[i]);
    start_of[h.runs[i].run_id] = h.runs[i].started_at;
  }
  // Cells copied the start time before later reports of the group could lower it.
  for (auto& t : h.tests)
    for (auto& ro : t.runs) ro.started_at = start_of[ro.run_id];
  sort_runs(h);
  return h;
}

}  // namespace flakegrab::correlate
