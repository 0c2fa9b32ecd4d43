#include "correlate/run_filter.h"

#include <map>
#include <set>

namespace flakegrab::correlate {

FilteredHistory filter_runs(const History& h, const RunFilter& filter) {
  FilteredHistory out;
  auto on_branch = [&](const RunInfo& r) {
    return filter.branch.empty() || r.branch.empty() || r.branch == filter.branch;
  };
  std::set<std::string> branch_runs, listed;
  for (const auto& r : h.runs) {
    listed.insert(r.run_id);
    if (on_branch(r)) branch_runs.insert(r.run_id);
  }
  // Per run: tests with a result, and how many of them failed.
  std::map<std::string, std::pair<int, int>> tally;
  for (const auto& t : h.tests)
    for (const auto& r : t.runs) {
      if (!is_pass(r.outcome) && !is_fail(r.outcome)) continue;
      auto& [results, failed] = tally[r.run_id];
      ++results;
      failed += is_fail(r.outcome);
    }
  std::set<std::string> excluded;
  for (const auto& r : h.runs) {
    if (!branch_runs.count(r.run_id)) continue;
    RunInfo shown = r;
    auto [results, failed] = tally[r.run_id];
    if (r.status == "interrupted") {
      shown.excluded = "interrupted";
      ++out.excluded_interrupted;
    } else if (results >= kInfraMinTests && failed > filter.infra_fail_ratio * results) {
      shown.excluded = "infra";
      ++out.excluded_infra;
    }
    if (shown.excluded.empty())
      out.evidence.runs.push_back(r);
    else
      excluded.insert(r.run_id);
    out.shown.push_back(std::move(shown));
  }
  for (const auto& t : h.tests) {
    TestHistory kept = t;
    kept.runs.clear();
    for (const auto& r : t.runs) {
      // A result whose run the history does not list keeps counting (it cannot be placed).
      if (excluded.count(r.run_id) || (listed.count(r.run_id) && !branch_runs.count(r.run_id)))
        continue;
      kept.runs.push_back(r);
    }
    out.evidence.tests.push_back(std::move(kept));
  }
  return out;
}

}  // namespace flakegrab::correlate
