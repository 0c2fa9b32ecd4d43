#include "correlate/evidence.h"

#include <cmath>
#include <vector>

#include "correlate/binomial_bounds.h"

namespace flakegrab::correlate {

std::string_view result_class(Outcome o) {
  if (o == Outcome::flaky) return "flaky";
  if (is_pass(o)) return "pass";
  if (is_fail(o)) return "fail";
  return "";
}

Evidence evidence_of(const TestHistory& t) {
  Evidence e;
  for (const auto& r : t.runs) {
    ++e.runs;
    if (is_pass(r.outcome)) ++e.passes;
    if (is_fail(r.outcome)) ++e.failures;
    if (r.outcome == Outcome::skip) ++e.skips;
    if (r.outcome == Outcome::flaky) ++e.flaky_runs;
  }
  const int signal = e.passes + e.failures;
  if (signal > 0) {
    e.pass_rate = static_cast<double>(e.passes) / signal;
    e.classification = classify_flake(e.passes - e.flaky_runs, e.failures + e.flaky_runs);
    // Passing only on reruns is flaky, not broken: it did pass.
    if (e.classification == FlakeClass::broken && e.passes > 0)
      e.classification = FlakeClass::actively_flaky;
  }
  if (!t.runs.empty()) {
    e.last_status = std::string(to_string(t.runs.back().outcome));
    e.last_run_id = t.runs.back().run_id;
    e.last_run_at = t.runs.back().started_at;
  }
  int results = 0, flips = 0, streak = 0;
  std::string_view last;
  for (const auto& r : t.runs) {
    std::string_view c = result_class(r.outcome);
    if (c.empty()) continue;
    ++results;
    if (!last.empty() && c != last) ++flips;
    streak = c == last ? streak + 1 : 1;
    last = c;
  }
  if (results > 0) e.streak = std::string(last) + ":" + std::to_string(streak);
  if (results > 1) e.flip_rate = static_cast<double>(flips) / (results - 1);
  return e;
}

void find_broken(Evidence& e, const TestHistory& t, double confidence) {
  std::vector<const RunOutcome*> results;
  for (const auto& r : t.runs)
    if (!result_class(r.outcome).empty()) results.push_back(&r);
  std::size_t start = results.size();
  while (start > 0 && is_fail(results[start - 1]->outcome)) --start;
  const int streak = static_cast<int>(results.size() - start);
  if (streak == 0 || start == 0) return;  // passing now, or never passed (failed in all)
  int before_bad = 0;
  for (std::size_t i = 0; i < start; ++i) before_bad += result_class(results[i]->outcome) != "pass";
  const double p = fail_rate_upper(static_cast<int>(start), before_bad, confidence);
  if (std::pow(p, streak) >= 1 - confidence) return;  // its flakiness explains the streak
  e.broken_since_run = results[start]->run_id;
  e.broken_since_at = results[start]->started_at;
}

}  // namespace flakegrab::correlate
