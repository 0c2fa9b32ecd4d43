#include "correlate/history.h"

#include <algorithm>
#include <tuple>

#include "correlate/time_util.h"

namespace flakegrab::correlate {

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::pass:
      return "pass";
    case Outcome::fail:
      return "fail";
    case Outcome::error:
      return "error";
    case Outcome::skip:
      return "skip";
    case Outcome::xfail:
      return "xfail";
    case Outcome::xpass:
      return "xpass";
    case Outcome::flaky:
      return "flaky";
  }
  return "unknown";
}

bool is_pass(Outcome o) {
  return o == Outcome::pass || o == Outcome::xpass || o == Outcome::flaky;
}
bool is_fail(Outcome o) {
  return o == Outcome::fail || o == Outcome::error || o == Outcome::xfail;
}

void sort_runs_by_time(std::vector<RunInfo>& runs) {
  std::stable_sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) {
    return std::tie(a.started_at, a.run_id) < std::tie(b.started_at, b.run_id);
  });
}

void sort_runs(History& h) {
  auto before = [](const auto& a, const auto& b) {
    return std::tie(a.started_at, a.run_id) < std::tie(b.started_at, b.run_id);
  };
  sort_runs_by_time(h.runs);
  for (auto& t : h.tests) std::stable_sort(t.runs.begin(), t.runs.end(), before);
}

History restrict_window(const History& h, int days, const std::string& as_of) {
  if (days <= 0) return h;
  auto end = parse_iso8601(as_of);
  if (!end) return h;
  std::int64_t start = *end - static_cast<std::int64_t>(days) * 86400;
  auto inside = [&](const std::string& at) {
    auto t = parse_iso8601(at);
    // Runs without a start time cannot be placed; keep them rather than lose evidence.
    return !t || (*t >= start && *t <= *end);
  };
  History out;
  for (const auto& r : h.runs)
    if (inside(r.started_at)) out.runs.push_back(r);
  for (const auto& t : h.tests) {
    TestHistory kept = t;
    kept.runs.clear();
    for (const auto& r : t.runs)
      if (inside(r.started_at)) kept.runs.push_back(r);
    out.tests.push_back(std::move(kept));
  }
  return out;
}

}  // namespace flakegrab::correlate
