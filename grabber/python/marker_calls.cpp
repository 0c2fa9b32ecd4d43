// Marker expressions and their arguments: which callee is a marker, and which argument is the
// reason, ticket, since date, condition or strictness.
#include <re2/re2.h>

#include "grabber/python/internals.h"

namespace flakegrab::extractor {
namespace {

// Resolves a callee expression to a configured marker name, or "" if it is none.
std::string resolve_name(const Ctx& c, const std::vector<std::string>& v, bool& is_mark) {
  is_mark = false;
  std::string name;
  if (v.size() == 3 && c.pytest_names.count(v[0]) && v[1] == "mark") {
    name = v[2];
    is_mark = true;
  } else if (v.size() == 2 && c.mark_names.count(v[0])) {
    name = v[1];
    is_mark = true;
  } else if (v.size() == 2 && c.unittest_names.count(v[0])) {
    name = v[1];
  } else if (v.size() == 1 && c.imported.count(v[0])) {
    auto it = c.name_alias.find(v[0]);
    name = it == c.name_alias.end() ? v[0] : it->second;
  } else {
    return {};
  }
  return c.cfg->markers.count(name) ? name : std::string{};
}

}  // namespace

void push_args(TSNode arglist, std::vector<std::pair<std::string, TSNode>>& args, const Ctx& c) {
  if (ts_node_is_null(arglist)) return;
  int pos = 0;
  for (uint32_t i = 0; i < ts_node_named_child_count(arglist); ++i) {
    TSNode a = ts_node_named_child(arglist, i);
    if (type(a) == "comment") continue;
    if (type(a) == "keyword_argument") {
      args.emplace_back(text(c, field(a, "name")), field(a, "value"));
    } else {
      args.emplace_back(std::to_string(pos++), a);
    }
  }
}

std::optional<Call> as_marker(const Ctx& c, TSNode n) {
  TSNode callee = n;
  bool called = type(n) == "call";
  if (called) callee = field(n, "function");
  auto v = chain(c, callee);
  if (v.empty()) return std::nullopt;
  Call call;
  call.line = line_of(n);
  call.written = text(c, callee);
  if (v.size() == 1 && c.marker_aliases.count(v[0])) {
    call = c.marker_aliases.at(v[0]);
    call.line = line_of(n);
  } else {
    call.name = resolve_name(c, v, call.is_mark);
    if (call.name.empty()) return std::nullopt;
  }
  if (called) push_args(field(n, "arguments"), call.args, c);
  return call;
}

std::optional<std::string> arg_string(const Ctx& c, TSNode v) {
  if (auto s = string_value(c, v)) return s;
  return text(c, v);
}

Marker build(const Ctx& c, const Call& call, std::string test_id, MarkerScope scope) {
  Marker m;
  m.test_id = std::move(test_id);
  m.file = std::string(c.path);
  m.line = call.line;
  m.name = call.name;
  m.kind = c.cfg->markers.at(call.name);
  m.scope = scope;
  m.effective = scope != MarkerScope::fixture;
  auto has = [](const std::vector<std::string>& keys, const std::string& k) {
    for (const auto& x : keys)
      if (x == k) return true;
    return false;
  };
  // Which positionals mean what depends on the marker's family.
  const std::string& n = call.name;
  bool cond_first =
      (call.is_mark && (n == "xfail" || n == "skipif" || m.kind == MarkerKind::skipif)) ||
      n == "skipIf" || n == "skipUnless";
  for (const auto& [k, v] : call.args) {
    m.args.emplace_back(k, text(c, v));
    if (has(c.cfg->reason_keys, k) && !m.reason)
      m.reason = arg_string(c, v);
    else if (has(c.cfg->ticket_keys, k) && !m.ticket)
      m.ticket = arg_string(c, v);
    else if (has(c.cfg->since_keys, k) && !m.since)
      m.since = arg_string(c, v);
    else if (k == "condition")
      m.condition = text(c, v);
    else if (k == "strict") {
      std::string t = text(c, v);
      if (t == "True")
        m.strict = true;
      else if (t == "False")
        m.strict = false;
    } else if (k == "0") {
      if (n == "importorskip") continue;  // the module name: the reason is only ever `reason=`
      if (cond_first)
        m.condition = text(c, v);
      else if (!m.reason)
        m.reason = arg_string(c, v);
    } else if (k == "1" && cond_first && !call.is_mark && !m.reason) {
      m.reason = arg_string(c, v);
    }
  }
  if (!m.ticket && m.reason) {
    static const RE2 ticket_re(
        R"((https?://\S*/(?:issues|pull|browse)/[^\s'")]+|\b[A-Z][A-Z0-9]+-[0-9]+\b))");
    std::string t;
    if (RE2::PartialMatch(*m.reason, ticket_re, &t)) m.ticket = t;
  }
  return m;
}

std::vector<Call> marks_of(const Ctx& c, TSNode value, int depth) {
  std::vector<Call> r;
  if (depth > kMaxDepth) return r;
  if (type(value) == "list" || type(value) == "tuple" ||
      type(value) == "parenthesized_expression") {
    for (uint32_t i = 0; i < ts_node_named_child_count(value); ++i)
      for (auto& m : marks_of(c, ts_node_named_child(value, i), depth + 1))
        r.push_back(std::move(m));
  } else if (auto m = as_marker(c, value)) {
    r.push_back(std::move(*m));
  }
  return r;
}

}  // namespace flakegrab::extractor
