#include <cstdio>

#include "correlate/report.h"

namespace flakegrab::correlate {
namespace {

// RFC 4180 quoting.
std::string cell(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

std::string joined(const std::vector<Marker>& ms, auto field) {
  std::string s;
  for (const auto& m : ms) {
    if (!s.empty()) s += ';';
    s += field(m);
  }
  return s;
}

}  // namespace

std::string render_csv(const CorrelateResult& result) {
  std::string out =
      "test_id,history_id,verdict,reason,muted,match,weak_match,markers,marker_locations,tickets,"
      "runs,passes,failures,skips,flaky_runs,pass_rate,classification,last_status,last_run_id,"
      "last_run_at,days_muted\n";
  for (const auto& r : result.rows) {
    const Evidence& e = r.evidence;
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.4f", e.pass_rate);
    std::vector<std::string> cells = {
        r.test_id,
        r.history_id,
        r.verdict,
        r.reason,
        r.muted ? "true" : "false",
        r.match,
        r.weak_match ? "true" : "false",
        joined(r.markers, [](const Marker& m) { return m.name; }),
        joined(r.markers, [](const Marker& m) { return m.file + ":" + std::to_string(m.line); }),
        joined(r.markers, [](const Marker& m) { return m.ticket.value_or(""); }),
        std::to_string(e.runs),
        std::to_string(e.passes),
        std::to_string(e.failures),
        std::to_string(e.skips),
        std::to_string(e.flaky_runs),
        e.pass_rate < 0 ? "-1" : rate,
        e.classification,
        e.last_status,
        e.last_run_id,
        e.last_run_at,
        std::to_string(e.days_muted)};
    for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + cell(cells[i]);
    out += "\n";
  }
  return out;
}

}  // namespace flakegrab::correlate
