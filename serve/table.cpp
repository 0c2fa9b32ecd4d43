#include "serve/table.h"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <string_view>

#include "correlate/report.h"

namespace flakegrab::serve {
namespace {

using nlohmann::ordered_json;

std::string csv_text(const ordered_json& v) {
  if (v.is_string()) return correlate::csv_cell(v.get<std::string>());
  if (v.is_number_float()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", v.get<double>());
    return buf;
  }
  return v.dump();  // integers and booleans
}

// "YYYY-MM-DD" at the start of s (std::regex is far too slow for 50k rows).
bool starts_with_date(std::string_view s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

bool is_date(std::string_view s) {
  return s.size() == 10 && starts_with_date(s);
}

// "YYYY-MM-DDTHH:MM:SS" then an optional fraction and a zone (Z or +HH:MM).
bool is_datetime(std::string_view s) {
  if (s.size() < 20 || !starts_with_date(s) || s[10] != 'T' || s[13] != ':' || s[16] != ':')
    return false;
  return s.back() == 'Z' || (s.size() >= 25 && s[s.size() - 3] == ':');
}

bool all_strings_are(const std::vector<ordered_json>& rows, const std::string& column,
                     bool (*test)(std::string_view)) {
  bool any = false;
  for (const auto& r : rows) {
    auto it = r.find(column);
    if (it == r.end()) continue;
    if (!it->is_string() || !test(it->get_ref<const std::string&>())) return false;
    any = true;
  }
  return any;
}

}  // namespace

void Table::add(ordered_json row, Facets f) {
  for (const auto& [key, value] : row.items()) {
    if (value.is_structured()) csv_ok = false;
    if (std::find(columns.begin(), columns.end(), key) == columns.end()) columns.push_back(key);
  }
  rows.push_back(std::move(row));
  facets.push_back(std::move(f));
}

void Table::finish() {
  row_json.clear();
  row_csv.clear();
  for (const auto& r : rows) {
    row_json.push_back(r.dump());
    if (!csv_ok) continue;
    std::string line;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (c) line += ',';
      if (auto it = r.find(columns[c]); it != r.end()) line += csv_text(*it);
    }
    row_csv.push_back(line + "\r\n");
  }
}

std::string Table::render(const std::vector<std::size_t>& pick, Format format) const {
  std::string out;
  std::size_t bytes = 2;
  for (auto i : pick) bytes += row_json[i].size() + 1;
  out.reserve(bytes);
  switch (format) {
    case Format::json:
      out += '[';
      for (std::size_t n = 0; n < pick.size(); ++n) {
        if (n) out += ',';
        out += row_json[pick[n]];
      }
      out += ']';
      break;
    case Format::ndjson:
      for (auto i : pick) (out += row_json[i]) += '\n';
      break;
    case Format::csv:
      for (std::size_t c = 0; c < columns.size(); ++c) (out += c ? "," : "") += columns[c];
      out += "\r\n";
      for (auto i : pick) out += row_csv[i];
      break;
  }
  return out;
}

std::string Table::render_all(Format format) const {
  std::vector<std::size_t> all(rows.size());
  std::iota(all.begin(), all.end(), 0);
  return render(all, format);
}

std::string Table::column_type(const std::string& column) const {
  for (const auto& r : rows) {
    auto it = r.find(column);
    if (it == r.end()) continue;
    if (it->is_boolean()) return "boolean";
    if (it->is_number_float()) return "float";
    if (it->is_number()) return "integer";
    break;
  }
  if (all_strings_are(rows, column, is_datetime)) return "datetime";
  if (all_strings_are(rows, column, is_date)) return "date";
  return "string";
}

std::string Table::render_redash(const std::vector<std::size_t>& pick) const {
  ordered_json cols = ordered_json::array();
  for (const auto& c : columns) {
    std::string friendly = c;
    std::replace(friendly.begin(), friendly.end(), '_', ' ');
    if (!friendly.empty()) friendly[0] = static_cast<char>(std::toupper(friendly[0]));
    cols.push_back({{"name", c}, {"type", column_type(c)}, {"friendly_name", friendly}});
  }
  return R"({"columns":)" + cols.dump() + R"(,"rows":)" + render(pick, Format::json) + "}";
}

}  // namespace flakegrab::serve
