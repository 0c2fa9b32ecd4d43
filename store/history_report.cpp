#include "store/history_report.h"

#include <set>

#include "correlate/report.h"

namespace flakegrab {
namespace {

using nlohmann::ordered_json;

std::string dump(const ordered_json& j, bool pretty) {
  return j.dump(pretty ? 2 : -1) + "\n";
}

std::string ids(const std::vector<Marker>& ms) {
  std::string s;
  for (const auto& m : ms) s += (s.empty() ? "" : ";") + m.test_id;
  return s;
}

std::string md(std::string s) {
  std::string out;
  for (char ch : s) {
    if (ch == '|') out += '\\';
    out += ch == '\n' ? ' ' : ch;
  }
  return out;
}

std::string csv_line(const std::vector<std::string>& cells) {
  std::string s;
  for (size_t i = 0; i < cells.size(); ++i) s += (i ? "," : "") + correlate::csv_cell(cells[i]);
  return s + "\n";
}

std::string days_csv(const std::vector<HistoryDay>& days) {
  static const char* kKinds[] = {"xfail", "skip", "skipif", "flaky", "custom"};
  std::vector<std::string> head = {"repo", "branch", "date", "commit", "scanned_at"};
  for (const char* k : kKinds) head.push_back(std::string("muted_") + k);
  for (const char* k : {"added", "removed", "changed"}) head.push_back(k);
  std::string out = csv_line(head);
  for (const auto& d : days) {
    std::vector<std::string> row = {d.repo, d.branch, d.date, d.commit, d.scanned_at};
    for (const char* k : kKinds) row.push_back(std::to_string(d.muted.at(k)));
    std::vector<Marker> changed;
    for (const auto& c : d.changed) changed.push_back(c.now);
    for (const auto& v : {d.added, d.removed, changed}) row.push_back(ids(v));
    out += csv_line(row);
  }
  return out;
}

// Per repo/branch: tests x days, a cell the kinds muting the test that day ("" when none).
// Only days are known, not the markers themselves, so they are replayed from the changes.
std::string days_markdown(const std::vector<HistoryDay>& days) {
  std::string out;
  for (size_t begin = 0; begin < days.size();) {
    size_t end = begin;
    while (end < days.size() && days[end].repo == days[begin].repo &&
           days[end].branch == days[begin].branch)
      ++end;
    // test id -> kinds per day; markers carried from day to day through added/removed.
    std::map<std::string, std::multiset<std::string>> live;
    std::map<std::string, std::vector<std::string>> cells;
    for (const auto& m : days[begin].baseline)
      live[m.test_id].insert(std::string(to_string(m.kind)));
    for (size_t i = begin; i < end; ++i) {
      for (const auto& m : days[i].removed) {
        auto& k = live[m.test_id];
        if (auto it = k.find(std::string(to_string(m.kind))); it != k.end()) k.erase(it);
      }
      for (const auto& m : days[i].added) live[m.test_id].insert(std::string(to_string(m.kind)));
      for (auto& [test, kinds] : live) {
        auto& row = cells[test];
        row.resize(i - begin);
        std::string cell;
        for (const auto& k : std::set<std::string>(kinds.begin(), kinds.end()))
          cell += (cell.empty() ? "" : ",") + k;
        row.push_back(cell);
      }
    }
    out += "### " + md(days[begin].repo) + " " + md(days[begin].branch) + "\n\n| test |";
    for (size_t i = begin; i < end; ++i) out += " " + days[i].date + " |";
    out += "\n| --- |";
    for (size_t i = begin; i < end; ++i) out += " --- |";
    out += "\n";
    for (auto& [test, row] : cells) {
      row.resize(end - begin);
      out += "| " + md(test) + " |";
      for (const auto& c : row) out += " " + c + " |";
      out += "\n";
    }
    out += "\n";
    begin = end;
  }
  return out;
}

}  // namespace

ordered_json to_json(const HistoryDay& d) {
  ordered_json j;
  j["repo"] = d.repo;
  j["branch"] = d.branch;
  j["date"] = d.date;
  j["commit"] = d.commit;
  j["scanned_at"] = d.scanned_at;
  j["muted"] = ordered_json::object();
  for (const auto& [k, n] : d.muted) j["muted"][k] = n;
  j["added"] = ordered_json::array();
  for (const auto& m : d.added) j["added"].push_back(to_json(m));
  j["removed"] = ordered_json::array();
  for (const auto& m : d.removed) j["removed"].push_back(to_json(m));
  j["changed"] = ordered_json::array();
  for (const auto& c : d.changed) {
    ordered_json m = to_json(c.now);
    m["was"] = to_json(c.was);
    j["changed"].push_back(std::move(m));
  }
  return j;
}

ordered_json to_json(const MutingSpan& s) {
  ordered_json j;
  j["repo"] = s.repo;
  j["branch"] = s.branch;
  j["marker"] = to_json(s.marker);
  j["first_seen"] = s.first_seen;
  j["muted_from"] = s.muted_from;
  j["last_seen"] = s.last_seen;
  j["unmuted"] = s.unmuted ? ordered_json(*s.unmuted) : ordered_json(nullptr);
  return j;
}

std::string render_history(const std::vector<HistoryDay>& days, const std::string& format,
                           bool pretty) {
  if (format == "csv") return days_csv(days);
  if (format == "markdown") return days_markdown(days);
  if (format == "ndjson") {
    std::string out;
    for (const auto& d : days) out += dump(to_json(d), false);
    return out;
  }
  ordered_json doc = {{"days", ordered_json::array()}};
  for (const auto& d : days) doc["days"].push_back(to_json(d));
  return dump(doc, pretty);
}

std::string render_timeline(const std::string& test_id, const std::vector<MutingSpan>& spans,
                            const std::string& format, bool pretty) {
  if (format == "csv" || format == "markdown") {
    std::vector<std::string> head = {"repo",   "branch",     "name",       "kind",      "reason",
                                     "ticket", "first_seen", "muted_from", "last_seen", "unmuted"};
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : spans)
      rows.push_back({s.repo, s.branch, s.marker.name, std::string(to_string(s.marker.kind)),
                      s.marker.reason.value_or(""), s.marker.ticket.value_or(""), s.first_seen,
                      s.muted_from, s.last_seen, s.unmuted.value_or("")});
    if (format == "csv") {
      std::string out = csv_line(head);
      for (const auto& r : rows) out += csv_line(r);
      return out;
    }
    std::string out = "### " + md(test_id) + "\n\n|";
    for (const auto& h : head) out += " " + h + " |";
    out += "\n|";
    for (size_t i = 0; i < head.size(); ++i) out += " --- |";
    out += "\n";
    for (const auto& r : rows) {
      out += "|";
      for (const auto& c : r) out += " " + md(c) + " |";
      out += "\n";
    }
    return out;
  }
  if (format == "ndjson") {
    std::string out;
    for (const auto& s : spans) out += dump(to_json(s), false);
    return out;
  }
  ordered_json doc = {{"test_id", test_id}, {"timeline", ordered_json::array()}};
  for (const auto& s : spans) doc["timeline"].push_back(to_json(s));
  return dump(doc, pretty);
}

}  // namespace flakegrab
