// Marker expressions and their arguments: which callee is a marker, and which argument is the
// reason, ticket, since date, condition or strictness.
#include <cctype>

#include <re2/re2.h>

#include "grabber/python/internals.h"
#include "grabber/python/link_sites.h"

namespace flakegrab::extractor {

std::vector<std::string> split_dots(const std::string& q) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t dot; (dot = q.find('.', start)) != std::string::npos; start = dot + 1)
    out.push_back(q.substr(start, dot - start));
  out.push_back(q.substr(start));
  return out;
}

std::optional<MarkerKind> mute_kind(std::string_view last) {
  std::string n(last);
  for (char& ch : n) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto word = [&](std::string_view w) {  // `mute`, `mute_on_ci`, `muted`: not `mutex`
    return n.starts_with(w) && (n.size() == w.size() || n[w.size()] == '_' || n[w.size()] == 'd');
  };
  if (n == "retry" || n.starts_with("rerun")) return MarkerKind::flaky;
  if (n.starts_with("flaky")) return MarkerKind::flaky;
  if (n.starts_with("xfail_") || n.ends_with("_xfail") || n.starts_with("known_fail"))
    return MarkerKind::xfail;
  if (n.starts_with("skip_if") || n.starts_with("skip_unless")) return MarkerKind::skipif;
  // unittest's spelling: `skipIfNoNetwork`, `skipUnlessGPU`.
  if (last.starts_with("skipIf") || last.starts_with("skipUnless")) return MarkerKind::skipif;
  if (n.starts_with("skip_") || n.ends_with("_skip") || n.starts_with("quarantine") || word("mute"))
    return MarkerKind::skip;
  if (last.size() > 4 && last.starts_with("skip") &&
      std::isupper(static_cast<unsigned char>(last[4])))
    return MarkerKind::skip;
  return std::nullopt;
}

// The configured marker name a resolved callee stands for, or "" if it is none:
// pytest.mark.NAME, unittest.NAME, and bare names imported from pytest, unittest or flaky.
std::string marker_name(const ModuleContext& c, const Resolved& r, bool& is_mark) {
  is_mark = false;
  auto v = split_dots(r.qualified);
  std::string name;
  if (v.size() == 3 && v[0] == "pytest" && v[1] == "mark") {
    name = v[2];
    is_mark = true;
  } else if (v.size() == 2 && v[0] == "unittest") {
    name = v[1];
  } else if (v.size() == 2 && v[0] == "flaky" && r.bound) {
    name = v[1];
  } else if (r.written == 1 && r.bound && v.size() >= 2 &&
             (v[0] == "pytest" || v[0] == "unittest" || v[0].starts_with("flaky"))) {
    name = v.back();
  } else {
    return {};
  }
  if (!c.cfg) return name;  // summaries are config-free: the link step decides
  if (c.cfg->markers.count(name)) return name;
  // A mark pytest knows nothing of, whose name says mute: a conftest hook acts on it (scipy's
  // `@pytest.mark.skip_xp_backends(...)`), so it is recorded, as kind custom.
  return is_mark && mute_kind(name) ? name : std::string{};
}

void push_args(TSNode arglist, std::vector<Arg>& args, const ModuleContext& c) {
  if (ts_node_is_null(arglist)) return;
  int pos = 0;
  for (TSNode a : named_children(arglist)) {
    if (type(a) == "comment") continue;
    if (type(a) == "keyword_argument") {
      TSNode v = field(a, "value");
      args.push_back({text(c, field(a, "name")), text(c, v), string_value(c, v)});
    } else {
      args.push_back({std::to_string(pos++), text(c, a), string_value(c, a)});
    }
  }
}

std::variant<std::vector<MarkCall>, LinkQuery> mark_or_query(const ModuleContext& c, TSNode n) {
  TSNode callee = n;
  bool called = type(n) == "call";
  if (called) callee = field(n, "function");
  auto r = resolve(c, callee);
  if (!r) return std::vector<MarkCall>{};
  MarkCall call;
  call.line = line_of(n);
  const std::string written = text(c, callee);
  // A bare name whose module-level binding is a mark assignment.
  auto alias = r->written == 1 ? c.marker_aliases.find(written) : c.marker_aliases.end();
  if (alias != c.marker_aliases.end() && r->qualified == c.module + "." + written) {
    std::vector<MarkCall> calls = alias->second;
    for (auto& k : calls) {
      k.line = line_of(n);  // an answer's line is its use's, never the helper's: not mended
      const size_t had = k.args.size();
      if (called) push_args(field(n, "arguments"), k.args, c);
      if (k.args.size() != had) altered(c, k);
    }
    return calls;
  }
  call.name = marker_name(c, *r, call.is_mark);
  if (call.name.empty()) {
    if (!c.self || !c.cfg) return std::vector<MarkCall>{};
    LinkQuery q{r->qualified, called, {}, line_of(n)};
    if (called) push_args(field(n, "arguments"), q.args, c);
    return q;
  }
  if (called) push_args(field(n, "arguments"), call.args, c);
  return std::vector<MarkCall>{call};
}

std::vector<MarkCall> linked_marks(const ModuleContext& c, const LinkQuery& q) {
  LinkSite site;
  site.callee = q.qualified, site.called = q.called, site.args = q.args, site.line = q.line;
  return ask(c, std::move(site));
}

std::vector<MarkCall> as_marker(const ModuleContext& c, TSNode n) {
  auto v = mark_or_query(c, n);
  if (auto* q = std::get_if<LinkQuery>(&v)) return linked_marks(c, *q);
  return std::get<std::vector<MarkCall>>(std::move(v));
}

std::optional<std::string> arg_string(const Arg& a) {
  return a.str ? a.str : a.text;
}

std::string conjoin(const std::optional<std::string>& first, const std::string& second) {
  return first ? "(" + *first + ") and (" + second + ")" : second;
}

std::string try_raised(const ModuleContext& c, TSNode try_stmt, bool nothing) {
  TSNode body = field(try_stmt, "body");
  return (ts_node_named_child_count(body) == 1
              ? "`" + text(c, ts_node_named_child(body, 0)) + "` raises"
              : "the try block at line " + std::to_string(line_of(try_stmt)) + " raises") +
         (nothing ? " nothing" : "");
}

Marker marker_record(const ModuleContext& c, const MarkCall& call, std::string test_id,
                     MarkerScope scope) {
  Marker m;
  m.test_id = std::move(test_id);
  m.file = std::string(c.path);
  m.line = call.line;
  m.name = call.name;
  // A mark no configured name covers is one whose name says mute (marker_name): custom.
  auto configured = c.cfg->markers.find(call.name);
  const bool by_name = !call.kind && configured == c.cfg->markers.end();
  m.kind = call.kind ? *call.kind : by_name ? MarkerKind::custom : configured->second;
  m.resolved = call.resolved;
  m.scope = scope;
  m.effective = scope != MarkerScope::fixture;
  m.origin = call.origin;
  m.factory = call.factory;
  m.factory_args = call.factory_args;
  m.link = call.link;
  if (call.guard) m.condition = call.guard;  // a condition written on the mark comes later
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
  for (const auto& a : call.args) {
    const std::string& k = a.key;
    m.args.emplace_back(k, a.text);
    if (has(c.cfg->reason_keys, k) && !m.reason)
      m.reason = arg_string(a);
    else if (has(c.cfg->ticket_keys, k) && !m.ticket)
      m.ticket = arg_string(a);
    else if (has(c.cfg->since_keys, k) && !m.since)
      m.since = arg_string(a);
    else if (k == "condition")
      m.condition = conjoin(call.guard, a.text);
    else if (k == "strict") {
      const std::string& t = a.text;
      if (t == "True")
        m.strict = true;
      else if (t == "False")
        m.strict = false;
    } else if (k == "0") {
      // An unresolved decorator's positionals mean what its definition says, and a mark
      // recorded by its name what its conftest hook says: unknown here.
      if (n == "importorskip" || !call.resolved || by_name)
        continue;  // the module name: the reason is only ever `reason=`
      if (cond_first)
        m.condition = conjoin(call.guard, a.text);
      else if (!m.reason)
        m.reason = arg_string(a);
    } else if (k == "1" && cond_first && !call.is_mark && !m.reason) {
      m.reason = arg_string(a);
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

std::vector<MarkCall> marks_of(const ModuleContext& c, TSNode value, int depth) {
  std::vector<MarkCall> r;
  if (depth > kMaxDepth) return r;
  if (type(value) == "list" || type(value) == "tuple" ||
      type(value) == "parenthesized_expression") {
    for (TSNode ch : named_children(value))
      for (auto& m : marks_of(c, ch, depth + 1)) r.push_back(std::move(m));
  } else {
    for (auto& m : as_marker(c, value)) r.push_back(std::move(m));
  }
  return r;
}

}  // namespace flakegrab::extractor
