#include "correlate/report.h"

namespace flakegrab::correlate {
namespace {

std::string joined(const std::vector<Marker>& ms, auto field) {
  std::string s;
  for (const auto& m : ms) {
    if (!s.empty()) s += ';';
    s += field(m);
  }
  return s;
}

}  // namespace

nlohmann::ordered_json flat_row(const VerdictRow& r) {
  const Evidence& e = r.evidence;
  nlohmann::ordered_json row = {
      {"test_id", r.test_id},
      {"history_id", r.history_id},
      {"verdict", r.verdict},
      {"reason", r.reason},
      {"muted", r.muted},
      {"match", r.match},
      {"weak_match", r.weak_match},
      {"markers", joined(r.markers, [](const Marker& m) { return m.name; })},
      {"marker_locations",
       joined(r.markers, [](const Marker& m) { return m.file + ":" + std::to_string(m.line); })},
      {"tickets", joined(r.markers, [](const Marker& m) { return m.ticket.value_or(""); })},
      {"runs", e.runs},
      {"passes", e.passes},
      {"failures", e.failures},
      {"skips", e.skips},
      {"flaky_runs", e.flaky_runs},
      // Always a float, even 1 or -1, so a reader typing columns by the first row sees a number
      // with a fraction.
      {"pass_rate", static_cast<double>(e.pass_rate)},
      {"classification", e.classification},
      {"last_status", e.last_status},
      {"last_run_id", e.last_run_id},
      {"last_run_at", e.last_run_at},
      {"days_muted", e.days_muted}};
  add_mute_fields(row, r.mute, true);
  return row;
}

}  // namespace flakegrab::correlate
