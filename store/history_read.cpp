#include "store/history_read.h"

#include <nlohmann/json.hpp>

#include <tuple>

#include "base/error.h"
#include "store/history_columns.h"

namespace flakegrab {
namespace {

struct ScanRef {
  std::string scanned_at, repo, branch, commit;
};

// The scans asked for, per repo/branch in time order.
std::vector<std::vector<ScanRef>> scans_by_branch(SqlConnection& c, const HistoryQuery& q) {
  auto r = c.query(
      "SELECT scanned_at, repo, branch, commit_sha FROM flakegrab_scans WHERE ($1 = '' OR repo ="
      " $1) AND ($2 = '' OR branch = $2) ORDER BY repo, branch, scanned_at, commit_sha",
      {q.repo, q.branch});
  std::vector<std::vector<ScanRef>> out;
  for (auto& row : r.rows) {
    ScanRef s{*row[0], *row[1], *row[2], *row[3]};
    if (!q.until.empty() && s.scanned_at.substr(0, 10) > q.until) continue;
    if (out.empty() || out.back().back().repo != s.repo || out.back().back().branch != s.branch)
      out.emplace_back();
    out.back().push_back(std::move(s));
  }
  return out;
}

const std::string& marker_select() {
  static const std::string cols = column_names(marker_columns());
  return cols;
}

std::optional<MarkerScope> scope_from_string(std::string_view s) {
  for (auto scope : {MarkerScope::function, MarkerScope::klass, MarkerScope::module,
                     MarkerScope::param, MarkerScope::runtime, MarkerScope::fixture})
    if (to_string(scope) == s) return scope;
  return std::nullopt;
}

// A stored row back into a Marker, field by field as the scan document's reader takes them
// (marker_from_json; the history tests compare the two). Direct, not through a JSON object: a
// year of history is millions of rows.
Marker marker_from_row(const SqlRow& row, std::string* first_seen = nullptr) {
  Marker m;
  auto cols = marker_columns();
  for (size_t i = 0; i < cols.size(); ++i) {
    std::string_view name = cols[i].name;
    const SqlValue& v = row[i];
    if (name == "first_seen") {
      if (first_seen) *first_seen = v.value_or("");
    } else if (name == "test_id") {
      m.test_id = v.value_or("");
    } else if (name == "file") {
      m.file = v.value_or("");
    } else if (name == "line") {
      m.line = v ? std::stoi(*v) : 0;
    } else if (name == "name") {
      m.name = v.value_or("");
    } else if (name == "kind" || name == "scope") {
      auto kind = name == "kind" ? marker_kind_from_string(v.value_or("")) : std::nullopt;
      auto scope = name == "scope" ? scope_from_string(v.value_or("")) : std::nullopt;
      if (!kind && !scope)
        throw Error("history: marker " + m.test_id + ": unknown " + std::string(name) + " '" +
                    v.value_or("") + "'");
      if (kind) m.kind = *kind;
      if (scope) m.scope = *scope;
    } else if (name == "reason") {
      m.reason = v;
    } else if (name == "ticket") {
      m.ticket = v;
    } else if (name == "since") {
      m.since = v;
    } else if (name == "condition") {
      m.condition = v;
    } else if (name == "strict") {
      if (v) m.strict = *v == "1";
    } else if (name == "effective") {
      m.effective = !v || *v == "1";
    } else if (name == "args" && v) {
      const auto args = nlohmann::ordered_json::parse(*v);
      for (const auto& [k, a] : args.items()) m.args.emplace_back(k, a.get<std::string>());
    }
  }
  return m;
}

std::vector<Marker> markers_of(SqlConnection& c, const ScanRef& s) {
  auto r = c.query("SELECT " + marker_select() +
                       " FROM flakegrab_markers WHERE scanned_at = $1 AND repo = $2 AND branch ="
                       " $3 AND commit_sha = $4 ORDER BY test_id, name, kind, line",
                   {s.scanned_at, s.repo, s.branch, s.commit});
  std::vector<Marker> out;
  for (const auto& row : r.rows) out.push_back(marker_from_row(row));
  return out;
}

// Identity, with an occurrence number for a test carrying two markers of one name and kind.
// Views into the markers of one day, which outlive the map.
using Key = std::tuple<std::string_view, std::string_view, MarkerKind, int>;
using Identities = std::map<Key, const Marker*>;

Identities by_identity(const std::vector<Marker>& ms) {
  Identities out;
  std::map<std::tuple<std::string_view, std::string_view, MarkerKind>, int> seen;
  for (const auto& m : ms) {
    int n = seen[{m.test_id, m.name, m.kind}]++;
    out.emplace(Key{m.test_id, m.name, m.kind, n}, &m);
  }
  return out;
}

bool same_but_line(const Marker& a, const Marker& b) {
  if (a.line == b.line) return a == b;  // most markers stay where they are: no copies
  Marker x = a, y = b;
  x.line = y.line = 0;
  return x == y;
}

constexpr MarkerKind kKinds[] = {MarkerKind::xfail, MarkerKind::skip, MarkerKind::skipif,
                                 MarkerKind::flaky, MarkerKind::custom};

// `a`, `b`: by_identity of `now` and `before`.
HistoryDay compare(const ScanRef& s, const std::vector<Marker>& now, const Identities& a,
                   const Identities& b) {
  HistoryDay d{s.repo, s.branch, s.scanned_at.substr(0, 10), s.commit, s.scanned_at, {}, {}, {},
               {},     {}};
  for (MarkerKind k : kKinds) d.muted[std::string(to_string(k))] = 0;
  for (const auto& m : now)
    if (m.effective) ++d.muted[std::string(to_string(m.kind))];
  for (const auto& [k, m] : a) {
    auto it = b.find(k);
    if (it == b.end()) {
      d.added.push_back(*m);
    } else if (!same_but_line(*m, *it->second)) {
      d.changed.push_back({*m, *it->second});
    }
  }
  for (const auto& [k, m] : b)
    if (!a.contains(k)) d.removed.push_back(*m);
  return d;
}

}  // namespace

std::vector<FirstSeen> read_first_seen(SqlConnection& c, const std::string& repo,
                                       const std::string& branch) {
  auto r = c.query(
      "SELECT test_id, name, kind, first_seen FROM flakegrab_first_seen WHERE repo = $1 AND"
      " branch = $2",
      {repo, branch});
  std::vector<FirstSeen> out;
  for (auto& row : r.rows) out.push_back({*row[0], *row[1], *row[2], *row[3]});
  return out;
}

std::vector<HistoryDay> read_history_days(SqlConnection& c, const HistoryQuery& q) {
  std::vector<HistoryDay> out;
  for (const auto& scans : scans_by_branch(c, q)) {
    // The last scan of each day; days before `since` only serve as the first day's baseline.
    std::vector<const ScanRef*> days;
    for (const auto& s : scans) {
      if (!days.empty() && days.back()->scanned_at.substr(0, 10) == s.scanned_at.substr(0, 10))
        days.pop_back();
      days.push_back(&s);
    }
    std::vector<Marker> before;
    Identities before_ids;  // views into `before`
    bool first_shown = true;
    for (size_t i = 0; i < days.size(); ++i) {
      const ScanRef& s = *days[i];
      bool shown = q.since.empty() || s.scanned_at.substr(0, 10) >= q.since;
      // Before `since`, only the last day's markers are needed.
      if (!shown && i + 1 < days.size() && days[i + 1]->scanned_at.substr(0, 10) < q.since)
        continue;
      std::vector<Marker> now = markers_of(c, s);
      Identities now_ids = by_identity(now);
      if (shown) {
        out.push_back(compare(s, now, now_ids, before_ids));
        if (first_shown) out.back().baseline = before;
        first_shown = false;
      }
      // A moved vector keeps its elements where they are, so the views stay valid.
      before = std::move(now);
      before_ids = std::move(now_ids);
    }
  }
  return out;
}

std::vector<MutingSpan> read_test_timeline(SqlConnection& c, const HistoryQuery& q) {
  auto r = c.query("SELECT " + marker_select() +
                       " FROM flakegrab_markers WHERE test_id = $1 AND ($2 = '' OR repo = $2) AND"
                       " ($3 = '' OR branch = $3) ORDER BY repo, branch, scanned_at, name, kind,"
                       " line",
                   {q.test_id, q.repo, q.branch});
  // (repo, branch, scanned_at) -> the test's markers in that scan, with first_seen.
  std::map<std::tuple<std::string, std::string, std::string>,
           std::vector<std::pair<Marker, std::string>>>
      found;
  for (const auto& row : r.rows) {
    std::string first_seen;
    Marker m = marker_from_row(row, &first_seen);
    found[{*row[1], *row[2], *row[0]}].emplace_back(std::move(m), std::move(first_seen));
  }
  std::vector<MutingSpan> out;
  for (const auto& scans : scans_by_branch(c, q)) {
    std::map<Key, size_t> open;  // identity -> index in out
    for (const auto& s : scans) {
      if (!q.since.empty() && s.scanned_at.substr(0, 10) < q.since) continue;
      std::map<Key, size_t> still;
      auto it = found.find({s.repo, s.branch, s.scanned_at});
      std::map<std::tuple<std::string, std::string, MarkerKind>, int> seen;
      if (it != found.end()) {
        for (const auto& [m, first_seen] : it->second) {
          Key k{m.test_id, m.name, m.kind, seen[{m.test_id, m.name, m.kind}]++};
          auto o = open.find(k);
          size_t i = o != open.end() ? o->second : out.size();
          if (i == out.size())
            out.push_back({s.repo, s.branch, m, first_seen, s.scanned_at, s.scanned_at, {}});
          out[i].marker = m;
          out[i].last_seen = s.scanned_at;
          still[k] = i;
        }
      }
      for (const auto& [k, i] : open)
        if (!still.contains(k)) out[i].unmuted = s.scanned_at;
      open = std::move(still);
    }
  }
  return out;
}

}  // namespace flakegrab
