#include <cstdio>

#include "correlate/report.h"

namespace flakegrab::correlate {
std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

std::string render_csv(const CorrelateResult& result) {
  // The columns are the flat row's fields, in its order, even when there is no row.
  std::string out;
  const auto columns = flat_row(VerdictRow{});
  for (const auto& [key, value] : columns.items()) out += (out.empty() ? "" : ",") + key;
  out += "\n";
  for (const auto& r : result.rows) {
    bool first = true;
    const auto row = flat_row(r);
    for (const auto& [key, v] : row.items()) {
      std::string text;
      if (v.is_string()) {
        text = v.get<std::string>();
      } else if (v.is_number_float()) {
        char rate[32];
        std::snprintf(rate, sizeof rate, "%.4f", v.get<double>());
        text = v.get<double>() < 0 ? "-1" : rate;
      } else {
        text = v.dump();  // bools and integers
      }
      out += (first ? "" : ",") + csv_cell(text);
      first = false;
    }
    out += "\n";
  }
  return out;
}

}  // namespace flakegrab::correlate
