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
  nlohmann::ordered_json row = {
      {"test_id", r.test_id},
      {"history_id", r.history_id},
      {"verdict", std::string(to_string(r.verdict))},
      {"reason", r.reason},
      {"muted", r.muted},
      {"match", r.match},
      {"weak_match", r.weak_match},
      {"history_branch", r.history_branch},
      {"markers", joined(r.markers, [](const Marker& m) { return m.name; })},
      {"marker_locations",
       joined(r.markers, [](const Marker& m) { return m.file + ":" + std::to_string(m.line); })},
      {"tickets", joined(r.markers, [](const Marker& m) { return m.ticket.value_or(""); })}};
  add_evidence_fields(row, r.evidence);
  add_mute_fields(row, r.mute, true);
  return row;
}

std::vector<VerdictColumn> verdict_columns() {
  std::vector<VerdictColumn> out;
  const nlohmann::ordered_json row = flat_row(VerdictRow{});
  for (const auto& [name, v] : row.items()) {
    ColumnType t = v.is_boolean()        ? ColumnType::boolean
                   : v.is_number_float() ? ColumnType::real
                   : v.is_number()       ? ColumnType::integer
                                         : ColumnType::string;
    out.push_back({name, t});
  }
  return out;
}

}  // namespace flakegrab::correlate
