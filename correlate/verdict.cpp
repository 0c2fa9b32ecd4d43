#include "correlate/verdict.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <cstdio>

#include "correlate/binomial_bounds.h"
#include "correlate/run_filter.h"
#include "correlate/test_identity.h"
#include "correlate/time_util.h"

namespace flakegrab::correlate {
namespace {

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

std::string percent(double rate) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g%%", rate * 100);
  return buf;
}

// The bounds and, for a muted test, how many clean runs an unmute still needs.
void bound(Evidence& e, bool muted, const JudgeOptions& j) {
  const int n = e.passes + e.failures, f = e.failures + e.flaky_runs;
  if (n > 0) {
    e.fail_rate_upper = fail_rate_upper(n, f, j.confidence);
    e.fail_rate_lower = fail_rate_lower(n, f, j.confidence);
  }
  if (!muted) return;
  e.runs_needed = clean_runs_needed(n, f, j.max_fail_rate, j.confidence, j.min_runs);
  // A latest run that failed needs at least one clean run after it.
  if (e.streak.rfind("fail:", 0) == 0) e.runs_needed = std::max(e.runs_needed, 1);
  e.runs_required = n + e.runs_needed;
}

// "since run R (rev abc, 2026-03-01T02:00:00Z), 21 runs in a row"
std::string broken_since(const Evidence& e) {
  std::string s = "since run " + e.broken_since_run;
  std::string where = e.broken_since_revision;
  if (!e.broken_since_at.empty()) where += (where.empty() ? "" : ", ") + e.broken_since_at;
  if (!where.empty()) s += " (" + where + ")";
  auto colon = e.streak.find(':');
  return s + ", " + e.streak.substr(colon + 1) + " runs in a row";
}

void decide_muted(VerdictRow& row, const JudgeOptions& j) {
  const Evidence& e = row.evidence;
  const int n = e.passes + e.failures;
  const std::string at = " at " + percent(j.confidence) + " confidence";
  if (n == 0) {
    row.verdict = Verdict::no_signal;
    row.reason = e.runs ? "skipped in every recorded run: no pass/fail signal"
                        : "no runs of this test in the window";
  } else if (!e.broken_since_run.empty()) {
    row.verdict = Verdict::keep;
    row.reason = "muted and broken: failing " + broken_since(e);
  } else if (e.failures == 0 && e.flaky_runs == 0 && e.runs_needed > 0) {
    row.verdict = Verdict::keep;
    row.reason = "passing, " + std::to_string(n) + " of " + std::to_string(e.runs_required) +
                 " clean runs needed (failure rate up to " + percent(e.fail_rate_upper) + at +
                 ", at most " + percent(j.max_fail_rate) + " wanted)";
  } else if (e.flaky_runs == 0 && e.runs_needed == 0) {
    row.verdict = row.weak_match ? Verdict::keep : Verdict::unmute;
    row.reason = row.weak_match
                     ? "passing, but matched only by a weak/ambiguous name match"
                     : "muted, but " + std::to_string(e.failures) + " of " + std::to_string(n) +
                           " runs failed: failure rate at most " + percent(e.fail_rate_upper) + at;
  } else {
    row.verdict = Verdict::keep;
    row.reason = "muted and still " + std::string(e.failures ? "failing" : "flaky") + " (" +
                 std::to_string(e.failures) + " failed, " + std::to_string(e.flaky_runs) +
                 " passed on rerun, of " + std::to_string(n) + ")";
    if (e.runs_needed > 0)
      row.reason += "; " + std::to_string(e.runs_needed) + " more clean runs needed";
  }
}

void decide(VerdictRow& row, const JudgeOptions& j) {
  bound(row.evidence, row.muted, j);
  if (row.muted) return decide_muted(row, j);
  const Evidence& e = row.evidence;
  const int n = e.passes + e.failures, f = e.failures + e.flaky_runs;
  const std::string at = " at " + percent(j.confidence) + " confidence";
  const std::string counts =
      std::to_string(f) + " of " + std::to_string(n) + " runs failed or passed only on rerun";
  if (n == 0) {
    row.verdict = Verdict::no_signal;
    row.reason = e.runs ? "not muted, but skipped in every recorded run" : "no runs in the window";
  } else if (e.passes == 0) {
    row.verdict = Verdict::fix;
    row.reason = "not muted and failed in all " + std::to_string(n) + " runs";
  } else if (!e.broken_since_run.empty()) {
    row.verdict = Verdict::fix;
    row.reason =
        "not muted and broken, not flaky: passed, then failed every run " + broken_since(e);
  } else if (e.fail_rate_lower > j.max_fail_rate) {
    row.verdict = Verdict::mute;
    row.reason = "not muted and " + std::string(to_string(e.classification)) + ": " + counts +
                 ", failure rate at least " + percent(e.fail_rate_lower) + at;
  } else {
    row.verdict = Verdict::ok;
    row.reason = f == 0 ? "not muted and stable"
                        : "not muted; " + counts + ": too few to call it flaky (failure rate " +
                              "at least " + percent(e.fail_rate_lower) + at + ", not above " +
                              percent(j.max_fail_rate) + ")";
  }
}

}  // namespace

CorrelateResult correlate(const std::vector<Marker>& markers, const History& all_runs,
                          const CorrelateOptions& options) {
  CorrelateResult out;
  auto& s = out.summary;
  s.history_branch =
      options.judge.history_branch.empty() ? options.branch : options.judge.history_branch;
  FilteredHistory filtered =
      filter_runs(all_runs, {s.history_branch, options.judge.infra_fail_ratio});
  const History& history = filtered.evidence;
  out.runs = std::move(filtered.shown);
  s.runs_excluded_infra = filtered.excluded_infra;
  s.runs_excluded_interrupted = filtered.excluded_interrupted;
  std::map<std::string, std::string> revision_of;
  for (const auto& r : out.runs) revision_of[r.run_id] = r.revision;
  s.history_tests = static_cast<int>(history.tests.size());
  s.markers = static_cast<int>(markers.size());
  s.runs = static_cast<int>(out.runs.size());

  // Effective markers grouped by the test (or class/module) they are written on.
  std::map<std::string, std::vector<const Marker*>> groups;
  // Markers that mute nothing: on a fixture, or not effective (redefined, overridden).
  std::vector<const Marker*> ignored;
  for (const auto& m : markers) {
    if (!m.effective || m.scope == MarkerScope::fixture) {
      ignored.push_back(&m);
      continue;
    }
    groups[m.test_id].push_back(&m);
  }
  s.markers_fixture = static_cast<int>(ignored.size());
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
      row.verdict = Verdict::orphan;
      row.reason = m.ambiguous ? "no qualified match; leaf name is ambiguous"
                               : "muted, but no history at all (renamed, deleted or never run)";
      row.evidence.days_muted = days_muted(row.markers, options.as_of);
      bound(row.evidence, true, options.judge);
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
    find_broken(row.evidence, t, options.judge.confidence);
    if (!row.evidence.broken_since_run.empty())
      row.evidence.broken_since_revision = revision_of[row.evidence.broken_since_run];
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
    decide(row, options.judge);
    out.rows.push_back(std::move(row));
  }

  for (const auto* m : ignored) {
    VerdictRow row;
    row.test_id = m->test_id;
    row.markers.push_back(*m);
    row.verdict = Verdict::ignored;
    row.reason = m->scope == MarkerScope::fixture
                     ? "marker on a fixture: pytest ignores it, it mutes nothing"
                     : "a later definition of the same name replaces this one: it mutes nothing";
    out.rows.push_back(std::move(row));
  }

  for (auto& row : out.rows) row.history_branch = s.history_branch;
  std::stable_sort(out.rows.begin(), out.rows.end(),
                   [](const VerdictRow& a, const VerdictRow& b) { return a.test_id < b.test_id; });
  for (Verdict v : kVerdicts) {
    int n = static_cast<int>(std::count_if(out.rows.begin(), out.rows.end(),
                                           [&](const VerdictRow& r) { return r.verdict == v; }));
    s.verdicts.emplace_back(std::string(to_string(v)), n);
  }
  return out;
}

CorrelateResult merge_results(std::vector<CorrelateResult> parts) {
  if (parts.size() == 1) return std::move(parts[0]);
  CorrelateResult out;
  auto& s = out.summary;
  std::set<std::string> seen_runs;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto& p = parts[i];
    const auto& q = p.summary;
    for (int CorrelateSummary::*f :
         {&CorrelateSummary::history_tests, &CorrelateSummary::history_matched,
          &CorrelateSummary::history_unmatched, &CorrelateSummary::markers,
          &CorrelateSummary::markers_effective, &CorrelateSummary::markers_fixture,
          &CorrelateSummary::markers_matched, &CorrelateSummary::markers_unmatched,
          &CorrelateSummary::markers_weak, &CorrelateSummary::markers_ambiguous})
      s.*f += q.*f;
    if (i == 0) s.verdicts = q.verdicts;
    for (std::size_t v = 0; i && v < q.verdicts.size(); ++v)
      s.verdicts[v].second += q.verdicts[v].second;
    s.history_branch = i == 0 || s.history_branch == q.history_branch ? q.history_branch : "";
    for (auto& r : p.runs) {
      if (!seen_runs.insert(r.run_id).second) continue;
      s.runs_excluded_infra += r.excluded == "infra";
      s.runs_excluded_interrupted += r.excluded == "interrupted";
      out.runs.push_back(std::move(r));
    }
    for (auto& r : p.rows) out.rows.push_back(std::move(r));
  }
  s.runs = static_cast<int>(out.runs.size());
  sort_runs_by_time(out.runs);
  std::stable_sort(out.rows.begin(), out.rows.end(), [](const VerdictRow& a, const VerdictRow& b) {
    return std::tie(a.test_id, a.history_branch) < std::tie(b.test_id, b.history_branch);
  });
  return out;
}

}  // namespace flakegrab::correlate
