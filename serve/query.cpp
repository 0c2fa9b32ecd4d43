#include "serve/query.h"

#include <algorithm>
#include <charconv>
#include <sstream>

namespace flakegrab::serve {
namespace {

bool known_scope(const std::string& s) {
  for (auto scope : {MarkerScope::function, MarkerScope::klass, MarkerScope::module,
                     MarkerScope::param, MarkerScope::runtime, MarkerScope::fixture})
    if (to_string(scope) == s) return true;
  return false;
}

std::set<std::string> split(const std::string& s) {
  std::set<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.insert(item);
  return out;
}

std::optional<std::size_t> number(const std::string& s) {
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return n;
}

bool any_in(const std::vector<std::string>& values, const std::set<std::string>& wanted) {
  return std::any_of(values.begin(), values.end(),
                     [&](const std::string& v) { return wanted.count(v) > 0; });
}

}  // namespace

std::optional<QueryError> parse_query(const std::multimap<std::string, std::string>& params,
                                      const Snapshot& snap, const Table& table, bool envelope_ok,
                                      Query& q) {
  const bool per_marker = table.facets.empty() || table.facets.front().has_markers;
  for (const auto& [name, value] : params) {
    auto bad = [&](const std::string& why) { return QueryError{name + "=" + value + ": " + why}; };
    if (name == "format") {
      if (value == "json")
        q.format = Format::json;
      else if (value == "ndjson")
        q.format = Format::ndjson;
      else if (value == "csv" && table.csv_ok)
        q.format = Format::csv;
      else if (value == "csv")
        return bad("this endpoint has nested fields; use json or ndjson");
      else
        return bad("unknown format (json, ndjson, csv)");
    } else if (name == "limit" || name == "offset") {
      auto n = number(value);
      if (!n) return bad("not a non-negative integer");
      if (name == "limit")
        q.limit = *n;
      else
        q.offset = *n;
    } else if (name == "envelope" && envelope_ok) {
      if (value != "1" && value != "0") return bad("expected 1 or 0");
      q.envelope = value == "1";
    } else if (name == "repo" || name == "branch") {
      const auto& known = name == "repo" ? snap.repos : snap.branches;
      for (const auto& v : split(value))
        if (!known.count(v)) return QueryError{name + "=" + v + ": not served"};
      q.equals[name] = split(value);
    } else if (!per_marker && (name == "kind" || name == "scope" || name == "ticket" ||
                               name == "verdict" || name == "file" || name == "q")) {
      return bad("this endpoint has one row per scan; it takes repo and branch only");
    } else if (name == "kind" || name == "scope" || name == "verdict") {
      if (name == "verdict" && !snap.has_history)
        return bad("no history is served, so there are no verdicts");
      for (const auto& v : split(value)) {
        bool known = name == "kind"    ? marker_kind_from_string(v).has_value()
                     : name == "scope" ? known_scope(v)
                                       : snap.verdict_names.count(v) > 0;
        if (!known) return QueryError{name + "=" + v + ": unknown " + name};
      }
      q.equals[name] = split(value);
    } else if (name == "ticket") {
      q.equals[name] = split(value);
    } else if (name == "file") {
      q.file_prefix = value;
    } else if (name == "q") {
      q.test_substring = value;
    } else {
      return QueryError{name + ": unknown parameter"};
    }
  }
  return std::nullopt;
}

bool matches(const Facets& f, const Query& q) {
  for (const auto& [name, wanted] : q.equals) {
    if (wanted.empty()) continue;
    bool ok = name == "repo"      ? wanted.count(f.repo) > 0
              : name == "branch"  ? wanted.count(f.branch) > 0
              : name == "verdict" ? wanted.count(f.verdict) > 0
              : name == "kind"    ? any_in(f.kinds, wanted)
              : name == "scope"   ? any_in(f.scopes, wanted)
                                  : any_in(f.tickets, wanted);
    if (!ok) return false;
  }
  if (!q.file_prefix.empty() &&
      std::none_of(f.files.begin(), f.files.end(),
                   [&](const std::string& file) { return file.starts_with(q.file_prefix); }))
    return false;
  return q.test_substring.empty() || f.test_id.find(q.test_substring) != std::string::npos;
}

}  // namespace flakegrab::serve
