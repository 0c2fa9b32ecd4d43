#include "correlate/verdict.h"

#include <algorithm>
#include <map>

#include "correlate/bundle.h"
#include "correlate/test_identity.h"
#include "correlate/time_util.h"

namespace flakegrab::correlate {
namespace {

constexpr const char* kVerdicts[] = {"unmute", "keep",      "mute", "fix",
                                     "orphan", "no_signal", "ok",   "ignored"};

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
    e.classification = classify(e.passes - e.flaky_runs, e.failures + e.flaky_runs);
    // Passing only on reruns is flaky, not broken: it did pass.
    if (e.classification == "broken" && e.passes > 0) e.classification = "actively_flaky";
  }
  if (!t.runs.empty()) {
    e.last_status = std::string(to_string(t.runs.back().outcome));
    e.last_run_id = t.runs.back().run_id;
    e.last_run_at = t.runs.back().started_at;
  }
  return e;
}

std::int64_t days_muted(const std::vector<Marker>& markers, const std::string& as_of) {
  auto now = parse_iso8601(as_of);
  std::optional<std::int64_t> oldest;
  for (const auto& m : markers) {
    if (!m.since) continue;
    // `since` is source text, possibly quoted: since="2019-01-25".
    std::string s = *m.since;
    s.erase(std::remove(s.begin(), s.end(), '"'), s.end());
    s.erase(std::remove(s.begin(), s.end(), '\''), s.end());
    if (auto t = parse_iso8601(s); t && (!oldest || *t < *oldest)) oldest = *t;
  }
  if (!now || !oldest || *oldest > *now) return -1;
  return (*now - *oldest) / 86400;
}

void decide(VerdictRow& row) {
  const Evidence& e = row.evidence;
  const int signal = e.passes + e.failures;
  if (row.muted) {
    if (signal == 0) {
      row.verdict = "no_signal";
      row.reason = e.runs ? "skipped in every recorded run: no pass/fail signal"
                          : "no runs of this test in the window";
    } else if (e.failures == 0 && e.flaky_runs == 0) {
      if (row.weak_match) {
        row.verdict = "keep";
        row.reason = "passing in every run, but matched only by a weak/ambiguous name match";
      } else {
        row.verdict = "unmute";
        row.reason = "muted, but passed in all " + std::to_string(signal) + " runs with a result";
      }
    } else {
      row.verdict = "keep";
      row.reason = "muted and still " + std::string(e.failures ? "failing" : "flaky") + " (" +
                   std::to_string(e.failures) + " failed, " + std::to_string(e.flaky_runs) +
                   " passed on rerun)";
    }
    return;
  }
  if (signal == 0) {
    row.verdict = "no_signal";
    row.reason = e.runs ? "not muted, but skipped in every recorded run" : "no runs in the window";
  } else if (e.classification == "broken") {
    row.verdict = "fix";
    row.reason = "not muted and failed in all " + std::to_string(signal) + " runs";
  } else if (is_flaky_class(e.classification)) {
    row.verdict = "mute";
    row.reason = "not muted and " + e.classification + " (" + std::to_string(e.failures) +
                 " failed, " + std::to_string(e.flaky_runs) + " passed on rerun)";
  } else {
    row.verdict = "ok";
    row.reason = "not muted and stable";
  }
}

}  // namespace

CorrelateResult correlate(const std::vector<Marker>& markers, const History& history,
                          const CorrelateOptions& options) {
  CorrelateResult out;
  out.runs = history.runs;
  auto& s = out.summary;
  s.history_tests = static_cast<int>(history.tests.size());
  s.markers = static_cast<int>(markers.size());
  s.runs = static_cast<int>(history.runs.size());

  // Effective markers grouped by the test (or class/module) they are written on.
  std::map<std::string, std::vector<const Marker*>> groups;
  std::vector<const Marker*> fixture;
  for (const auto& m : markers) {
    if (!m.effective || m.scope == MarkerScope::fixture) {
      fixture.push_back(&m);
      continue;
    }
    groups[m.test_id].push_back(&m);
  }
  s.markers_fixture = static_cast<int>(fixture.size());
  s.markers_effective = s.markers - s.markers_fixture;

  IdentityIndex index(history.tests);
  std::vector<std::string> ids;
  for (const auto& [id, ms] : groups) ids.push_back(id);
  index.set_marker_leaf_counts(ids);

  struct Hit {
    const std::vector<const Marker*>* group;
    MatchKind kind;
    bool weak;
  };
  std::vector<std::vector<Hit>> hits(history.tests.size());
  for (const auto& [id, ms] : groups) {
    MarkerMatch m = index.match(id);
    const int n = static_cast<int>(ms.size());
    if (m.history.empty()) {
      s.markers_unmatched += n;
      if (m.ambiguous) s.markers_ambiguous += n;
      VerdictRow row;
      row.test_id = id;
      row.muted = true;
      for (const auto* mk : ms) row.markers.push_back(*mk);
      row.verdict = "orphan";
      row.reason = m.ambiguous ? "no qualified match; leaf name is ambiguous"
                               : "muted, but no history at all (renamed, deleted or never run)";
      row.evidence.days_muted = days_muted(row.markers, options.as_of);
      out.rows.push_back(std::move(row));
      continue;
    }
    s.markers_matched += n;
    const bool weak = is_weak(m.kind) || m.ambiguous;
    if (weak) s.markers_weak += n;
    if (m.ambiguous) s.markers_ambiguous += n;
    for (auto i : m.history) hits[i].push_back({&ms, m.kind, weak});
  }

  for (std::size_t i = 0; i < history.tests.size(); ++i) {
    const auto& t = history.tests[i];
    VerdictRow row;
    row.test_id = t.nodeid.empty() ? t.history_id : t.nodeid;
    row.history_id = t.history_id;
    row.timeline = t.runs;
    row.evidence = evidence_of(t);
    if (!hits[i].empty()) {
      ++s.history_matched;
      row.muted = true;
      MatchKind best = MatchKind::none;
      bool all_weak = true;
      for (const auto& h : hits[i]) {
        best = std::min(best, h.kind);
        all_weak = all_weak && h.weak;
        for (const auto* mk : *h.group) row.markers.push_back(*mk);
      }
      row.match = std::string(to_string(best));
      row.weak_match = all_weak;
      row.evidence.days_muted = days_muted(row.markers, options.as_of);
    } else {
      ++s.history_unmatched;
    }
    decide(row);
    out.rows.push_back(std::move(row));
  }

  for (const auto* m : fixture) {
    VerdictRow row;
    row.test_id = m->test_id;
    row.markers.push_back(*m);
    row.verdict = "ignored";
    row.reason = m->scope == MarkerScope::fixture
                     ? "marker on a fixture: pytest ignores it, it mutes nothing"
                     : "a later definition of the same name replaces this one: it mutes nothing";
    out.rows.push_back(std::move(row));
  }

  std::stable_sort(out.rows.begin(), out.rows.end(),
                   [](const VerdictRow& a, const VerdictRow& b) { return a.test_id < b.test_id; });
  for (const char* v : kVerdicts) {
    int n = static_cast<int>(std::count_if(out.rows.begin(), out.rows.end(),
                                           [&](const VerdictRow& r) { return r.verdict == v; }));
    s.verdicts.emplace_back(v, n);
  }
  return out;
}

}  // namespace flakegrab::correlate
