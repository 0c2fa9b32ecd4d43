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

json evidence_row(const VerdictRow& r) {
  json markers = json::array();
  for (const auto& m : r.markers) markers.push_back(marker_to_json(m));
  const Evidence& e = r.evidence;
  return {{"test_id", r.test_id},
          {"verdict", r.verdict},
          {"history_id", r.history_id},
          {"reason", r.reason},
          {"muted", r.muted},
          {"match", r.match},
          {"weak_match", r.weak_match},
          {"markers", markers},
          {"runs", e.runs},
          {"passes", e.passes},
          {"failures", e.failures},
          {"skips", e.skips},
          {"flaky_runs", e.flaky_runs},
          {"pass_rate", e.pass_rate},
          {"classification", e.classification},
          {"last_status", e.last_status},
          {"last_run_id", e.last_run_id},
          {"last_run_at", e.last_run_at},
          {"days_muted", e.days_muted}};
}

}  // namespace

json row_to_json(const VerdictRow& r) {
  json row = evidence_row(r);
  add_mute_fields(row, r.mute, false);
  return row;
}

json summary_to_json(const CorrelateSummary& s) {
  json verdicts = json::object();
  for (const auto& [v, n] : s.verdicts) verdicts[v] = n;
  return {{"runs", s.runs},
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
