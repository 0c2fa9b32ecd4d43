#include "correlate/report.h"

namespace flakegrab::correlate {

// Ordered: a row reads identity first (test_id, verdict, ...), not alphabetically.
using json = nlohmann::ordered_json;

namespace {

// Every field keeps one type in every row: absent strings are "", absent numbers -1.
json marker_to_json(const Marker& m) {
  return {{"name", m.name},
          {"kind", std::string(to_string(m.kind))},
          {"scope", std::string(to_string(m.scope))},
          {"file", m.file},
          {"line", m.line},
          {"reason", m.reason.value_or("")},
          {"ticket", m.ticket.value_or("")},
          {"since", m.since.value_or("")},
          {"effective", m.effective}};
}

json identity_row(const VerdictRow& r) {
  json markers = json::array();
  for (const auto& m : r.markers) markers.push_back(marker_to_json(m));
  return {{"test_id", r.test_id},       {"verdict", std::string(to_string(r.verdict))},
          {"history_id", r.history_id}, {"reason", r.reason},
          {"muted", r.muted},           {"match", r.match},
          {"weak_match", r.weak_match}, {"history_branch", r.history_branch},
          {"markers", markers}};
}

}  // namespace

void add_evidence_fields(json& row, const Evidence& e) {
  row["runs"] = e.runs;
  row["passes"] = e.passes;
  row["failures"] = e.failures;
  row["skips"] = e.skips;
  row["flaky_runs"] = e.flaky_runs;
  // Rates are always floats, even 1 or -1, so a reader typing columns by the first row sees a
  // number with a fraction.
  row["pass_rate"] = static_cast<double>(e.pass_rate);
  row["fail_rate_upper"] = static_cast<double>(e.fail_rate_upper);
  row["fail_rate_lower"] = static_cast<double>(e.fail_rate_lower);
  row["runs_needed"] = e.runs_needed;
  row["runs_required"] = e.runs_required;
  row["classification"] = std::string(to_string(e.classification));
  row["streak"] = e.streak;
  row["flip_rate"] = static_cast<double>(e.flip_rate);
  row["broken_since_run"] = e.broken_since_run;
  row["broken_since_at"] = e.broken_since_at;
  row["broken_since_revision"] = e.broken_since_revision;
  row["last_status"] = e.last_status;
  row["last_run_id"] = e.last_run_id;
  row["last_run_at"] = e.last_run_at;
  row["days_muted"] = e.days_muted;
}

json row_to_json(const VerdictRow& r) {
  json row = identity_row(r);
  add_evidence_fields(row, r.evidence);
  add_mute_fields(row, r.mute, false);
  return row;
}

json summary_to_json(const CorrelateSummary& s) {
  json verdicts = json::object();
  for (const auto& [v, n] : s.verdicts) verdicts[v] = n;
  return {{"runs", s.runs},
          {"runs_excluded_infra", s.runs_excluded_infra},
          {"runs_excluded_interrupted", s.runs_excluded_interrupted},
          {"history_branch", s.history_branch},
          {"history_tests", s.history_tests},
          {"history_matched", s.history_matched},
          {"history_unmatched", s.history_unmatched},
          {"markers", s.markers},
          {"markers_effective", s.markers_effective},
          {"markers_fixture", s.markers_fixture},
          {"markers_matched", s.markers_matched},
          {"markers_unmatched", s.markers_unmatched},
          {"markers_weak", s.markers_weak},
          {"markers_ambiguous", s.markers_ambiguous},
          {"verdicts", verdicts}};
}

std::string render_json(const CorrelateResult& result, bool pretty) {
  json tests = json::array();
  for (const auto& r : result.rows) tests.push_back(row_to_json(r));
  json doc = {{"summary", summary_to_json(result.summary)}, {"tests", tests}};
  return doc.dump(pretty ? 2 : -1) + "\n";
}

std::string render_ndjson(const CorrelateResult& result) {
  std::string out;
  for (const auto& r : result.rows) out += row_to_json(r).dump() + "\n";
  return out;
}

}  // namespace flakegrab::correlate
