#include <map>
#include <set>

#include "correlate/report.h"

namespace flakegrab::correlate {
namespace {

struct Marks {
  const char *pass, *fail, *flaky, *cancelled, *unknown, *no_data, *infra;
};
constexpr Marks kEmoji{"✅", "❌", "🔁", "⚠️", "❓", "➖", "🚧"};
constexpr Marks kAscii{"P", "F", "R", "C", "?", "-", "I"};

std::string date_of(const std::string& iso) {
  // "YYYY-MM-DDT..." -> "MM/DD"; runs without a start time share one column.
  return iso.size() >= 10 ? iso.substr(5, 2) + "/" + iso.substr(8, 2) : "--/--";
}

// The day's mark for one test: its worst body result that day; when it has none, what the
// day's runs say about why (interrupted -> cancelled, unknown -> unknown, else no data).
std::string mark(const VerdictRow& row, const std::string& day,
                 const std::map<std::string, std::set<std::string>>& run_status_by_day,
                 const Marks& m) {
  bool pass = false, fail = false, flaky = false;
  for (const auto& r : row.timeline) {
    if (date_of(r.started_at) != day) continue;
    if (is_fail(r.outcome)) fail = true;
    if (r.outcome == Outcome::flaky) flaky = true;
    if (is_pass(r.outcome)) pass = true;
  }
  if (fail) return m.fail;
  if (flaky) return m.flaky;
  if (pass) return m.pass;
  if (row.history_id.empty()) return m.no_data;  // orphans and fixture markers: no history
  auto it = run_status_by_day.find(day);
  if (it != run_status_by_day.end()) {
    if (it->second.count("interrupted")) return m.cancelled;
    if (it->second.count("infra")) return m.infra;
    if (it->second.count("unknown")) return m.unknown;
  }
  return m.no_data;
}

std::string pad(const std::string& s, std::size_t width) {
  std::size_t w = display_width(s);
  return s + std::string(width > w ? width - w : 0, ' ');
}

std::string escape(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

// "14/59 clean" (muted: clean runs of those an unmute needs), "199/200 clean" (else), then
// what failed, and a summary of the runs older than the date columns.
std::string evidence_cell(const VerdictRow& row, const std::set<std::string>& shown_days) {
  const Evidence& e = row.evidence;
  const int n = e.passes + e.failures;
  if (n == 0) return "-";
  const int clean = e.passes - e.flaky_runs;
  std::string s = std::to_string(clean) + "/" +
                  std::to_string(row.muted && e.runs_required > n ? e.runs_required : n) + " clean";
  if (e.failures) s += ", " + std::to_string(e.failures) + " failed";
  if (e.flaky_runs) s += ", " + std::to_string(e.flaky_runs) + " rerun";
  if (!e.broken_since_run.empty()) s += ", broken since " + e.broken_since_at.substr(0, 10);
  int older = 0, older_bad = 0;
  for (const auto& r : row.timeline) {
    if (shown_days.count(date_of(r.started_at)) || result_class(r.outcome).empty()) continue;
    ++older;
    older_bad += result_class(r.outcome) != "pass";
  }
  if (older)
    s += "; older: " + std::to_string(older) + " runs, " + std::to_string(older_bad) + " bad";
  return s;
}

}  // namespace

std::size_t display_width(std::string_view s) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = c;
    int len = 1;
    if (c >= 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else if (c >= 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xC0) {
      len = 2;
      cp = c & 0x1F;
    }
    for (int k = 1; k < len && i + k < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += len;
    if (cp == 0xFE0F || cp == 0x200D || (cp >= 0x300 && cp < 0x370)) continue;
    bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2600 && cp <= 0x27BF) ||
                (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
                (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                (cp >= 0x1F000 && cp <= 0x1FAFF);
    width += wide ? 2 : 1;
  }
  return width;
}

std::string render_markdown(const CorrelateResult& result, bool ascii_marks, int date_columns) {
  const Marks& m = ascii_marks ? kAscii : kEmoji;
  std::vector<std::string> days;
  std::map<std::string, std::set<std::string>> status_by_day;
  for (const auto& r : result.runs) {
    std::string d = date_of(r.started_at);
    if (status_by_day.find(d) == status_by_day.end()) days.push_back(d);
    status_by_day[d].insert(r.excluded == "infra" ? "infra" : r.status);
  }
  if (date_columns >= 0 && days.size() > static_cast<std::size_t>(date_columns))
    days.erase(days.begin(), days.end() - date_columns);
  const std::set<std::string> shown(days.begin(), days.end());
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> header{"Test", "Markers"};
  header.insert(header.end(), days.begin(), days.end());
  header.push_back("Evidence");
  header.push_back("Verdict");
  table.push_back(header);
  for (const auto& row : result.rows) {
    std::string names;
    for (const auto& mk : row.markers) {
      std::string n = mk.name + (mk.effective ? "" : " (fixture)");
      if (names.find(n) == std::string::npos) names += (names.empty() ? "" : ", ") + n;
    }
    std::vector<std::string> line{escape(row.test_id), escape(names.empty() ? "-" : names)};
    for (const auto& d : days) line.push_back(mark(row, d, status_by_day, m));
    line.push_back(evidence_cell(row, shown));
    line.push_back(std::string(to_string(row.verdict)) + (row.weak_match ? " (weak match)" : ""));
    table.push_back(std::move(line));
  }
  std::vector<std::size_t> widths(header.size(), 3);
  for (const auto& line : table)
    for (std::size_t i = 0; i < line.size(); ++i)
      widths[i] = std::max(widths[i], display_width(line[i]));
  std::string out;
  for (std::size_t r = 0; r < table.size(); ++r) {
    out += "|";
    for (std::size_t i = 0; i < table[r].size(); ++i)
      out += " " + pad(table[r][i], widths[i]) + " |";
    out += "\n";
    if (r == 0) {
      out += "|";
      for (auto w : widths) out += " " + std::string(w, '-') + " |";
      out += "\n";
    }
  }
  out += "\n";
  out += ascii_marks
             ? "P pass, F fail, R passed on rerun, C cancelled (run interrupted), I "
               "infrastructure failure (not evidence), ? unknown, - no data\n"
             : "✅ pass, ❌ fail, 🔁 passed on rerun, ⚠️ cancelled (run interrupted), 🚧 "
               "infrastructure failure (not evidence), ❓ unknown, ➖ no data\n";
  out += "\n";
  std::string verdicts;
  for (const auto& [v, n] : result.summary.verdicts)
    verdicts += (verdicts.empty() ? "" : ", ") + v + " " + std::to_string(n);
  const auto& s = result.summary;
  out += "Verdicts: " + verdicts + ".\n";
  out += "History tests: " + std::to_string(s.history_tests) + " (" +
         std::to_string(s.history_unmatched) +
         " with no marker). Markers: " + std::to_string(s.markers) + " (" +
         std::to_string(s.markers_unmatched) + " matched no history, " +
         std::to_string(s.markers_weak) + " weak, " + std::to_string(s.markers_fixture) +
         " on fixtures).\n";
  return out;
}

}  // namespace flakegrab::correlate
