// Runtime skips: the calls and raises by which a test (or the module, at import) skips or
// xfails itself while it runs, as pytest honours them: pytest.skip/xfail/importorskip(...),
// self.skipTest(...), and `raise unittest.SkipTest(...)` / `raise pytest.skip.Exception(...)`
// (what those calls raise; pytest turns a unittest.SkipTest into a skip of any test).
#include <algorithm>

#include "grabber/python/internals.h"
#include "grabber/python/lexical.h"
#include "grabber/python/summary.h"

namespace flakegrab::extractor {
namespace {

// The names a runtime skip is spelled with, each enabled by the configured marker it counts
// as (`SkipTest` is what `self.skipTest` raises, so it counts as `skipTest`).
constexpr std::pair<const char*, const char*> kRuntimeWords[] = {
    {"skip", "skip"},         {"xfail", "xfail"},       {"importorskip", "importorskip"},
    {"skipTest", "skipTest"}, {"SkipTest", "skipTest"},
};

bool configured(const ScanConfig& cfg, std::string_view key) {
  return cfg.markers.count(std::string(key)) > 0;
}

}  // namespace

std::string runtime_call_name(const Resolved& r) {
  const std::string& q = r.qualified;
  if (q == "pytest.skip" || q == "pytest.xfail" || q == "pytest.importorskip") return q.substr(7);
  if (q == "self.skipTest" && !r.bound) return "skipTest";
  return {};
}

std::string runtime_raise_name(const Resolved& r) {
  const std::string& q = r.qualified;
  if (q == "pytest.skip.Exception") return "skip";
  if (q == "unittest.SkipTest" || q == "unittest.case.SkipTest") return "SkipTest";
  return {};
}

std::string runtime_config_key(const std::string& name) {
  return name == "SkipTest" ? "skipTest" : name;
}

std::optional<MarkCall> runtime_call(const ModuleContext& c, TSNode n) {
  const bool raise = type(n) == "raise_statement";
  if (!raise && type(n) != "call") return std::nullopt;
  TSNode expr = n;
  if (raise) {
    // `raise X(...)`, `raise X`, `raise X(...) from e`: the first named child is X.
    if (ts_node_named_child_count(n) == 0) return std::nullopt;
    expr = ts_node_named_child(n, 0);
  }
  auto q = resolve(c, raise ? expr : field(n, "function"));
  if (!q) return std::nullopt;
  std::string name = raise ? runtime_raise_name(*q) : runtime_call_name(*q);
  // A summary (no config) keeps every one: the link step decides.
  if (name.empty() || (c.cfg && !configured(*c.cfg, runtime_config_key(name)))) return std::nullopt;
  MarkCall r;
  r.name = name;
  r.line = line_of(n);
  if (c.cfg) r.kind = c.cfg->markers.at(runtime_config_key(name));
  if (!raise || type(expr) == "call") push_args(field(expr, "arguments"), r.args, c);
  return r;
}

bool acts_when_added(const MarkCall& k) {
  return k.is_mark && k.resolved && k.name == "xfail";
}

std::vector<MarkCall> added_marks(const ModuleContext& c, TSNode mark) {
  std::vector<MarkCall> out;
  // `add_marker("xfail")` adds pytest.mark.xfail.
  if (type(mark) == "string") {
    auto name = string_value(c, mark);
    if (!name || !c.cfg || !configured(*c.cfg, *name)) return {};
    MarkCall k;
    k.name = *name;
    k.is_mark = true;
    k.line = line_of(mark);
    out.push_back(std::move(k));
  } else {
    out = as_marker(c, mark);
  }
  std::erase_if(out, [](const MarkCall& k) { return !acts_when_added(k); });
  return out;
}

bool is_setup_method(std::string_view name) {
  return name == "setUp" || name == "setUpClass" || name == "setup_method" || name == "setup_class";
}

bool runs_setup_method(std::string_view name, bool testcase) {
  // pytest 8 dropped nose's `setup`; unittest alone calls setUp/setUpClass.
  return name == "setup_method" || name == "setup_class" ||
         (testcase && (name == "setUp" || name == "setUpClass"));
}

std::vector<std::string> runtime_words(const ScanConfig& cfg) {
  std::vector<std::string> out;
  for (const auto& [word, key] : kRuntimeWords)
    if (configured(cfg, key)) out.emplace_back(word);
  // A mark added at run time may be any configured one.
  if (!cfg.markers.empty())
    for (std::string_view adder : python::kMarkAdders) out.emplace_back(adder);
  return out;
}

bool names_runtime_skip(const ScanConfig& cfg, const std::string& qualified) {
  Resolved r{qualified, 2, true};
  std::string name = runtime_call_name(r);
  if (name.empty()) name = runtime_raise_name(r);
  return !name.empty() && configured(cfg, runtime_config_key(name));
}

std::optional<std::string> branch_condition(const ModuleContext& c, TSNode if_node, TSNode child,
                                            const std::optional<std::string>& outer) {
  const std::string test = text(c, field(if_node, "condition"));
  auto t = type(child);
  if (t != "else_clause" && t != "elif_clause") return conjoin(outer, test);
  // An elif or else clause runs when the tests before it failed (an elif's block then gets its
  // own test, the clause being looked at as a node of its own).
  std::optional<std::string> cond = conjoin(outer, "not (" + test + ")");
  for (TSNode sibling : named_children(if_node)) {
    if (ts_node_eq(sibling, child)) break;
    if (type(sibling) == "elif_clause")
      cond = conjoin(cond, "not (" + text(c, field(sibling, "condition")) + ")");
  }
  return cond;
}

std::optional<std::string> clause_condition(const ModuleContext& c, TSNode try_node, TSNode child,
                                            const std::optional<std::string>& outer) {
  auto t = type(child);
  if (t == "else_clause") return conjoin(outer, try_raised(c, try_node, true));
  if (t != "except_clause" && t != "except_group_clause") return outer;
  return conjoin(outer, try_raised(c, try_node));
}

namespace {

// Whether the bytes of `n` hold the start of a name a runtime skip can be called by. A
// summary (no config) has no such offsets and looks everywhere.
bool may_call_runtime(const ModuleContext& c, TSNode n) {
  if (!c.cfg) return true;
  const auto& at = c.runtime_names_at;
  auto it = std::lower_bound(at.begin(), at.end(), ts_node_start_byte(n));
  return it != at.end() && *it < ts_node_end_byte(n);
}

// The value last assigned to local `name` before byte `before` in `scope` (not in nested
// functions or classes), or a null node.
TSNode local_value(const ModuleContext& c, TSNode n, const std::string& name, uint32_t before,
                   int depth) {
  TSNode found{};
  if (depth > kMaxDepth) return found;
  for (TSNode ch : named_children(n)) {
    if (ts_node_start_byte(ch) >= before) break;
    auto t = type(ch);
    if (t == "function_definition" || t == "class_definition" || t == "decorated_definition" ||
        t == "lambda")
      continue;
    if (t == "assignment" && type(field(ch, "left")) == "identifier" &&
        text(c, field(ch, "left")) == name && !ts_node_is_null(field(ch, "right")) &&
        ts_node_end_byte(ch) <= before) {
      found = field(ch, "right");
      continue;
    }
    TSNode inner = local_value(c, ch, name, before, depth + 1);
    if (!ts_node_is_null(inner)) found = inner;
  }
  return found;
}

// `request.node.add_marker(mark)` or `request.applymarker(mark)`: the mark expression (a local
// variable read through its assignment in `scope`), else a null node.
TSNode applied_mark(const ModuleContext& c, TSNode call, TSNode scope) {
  auto r = resolve(c, call);
  if (!r || r->bound) return {};
  if (r->qualified != "request.node.add_marker" && r->qualified != "request.applymarker") return {};
  TSNode args = field(call, "arguments");
  TSNode mark{};
  for (TSNode a : named_children(args)) {
    if (type(a) == "comment") continue;
    if (type(a) == "keyword_argument") {
      if (text(c, field(a, "name")) == "marker") mark = field(a, "value");
      continue;
    }
    if (ts_node_is_null(mark)) mark = a;
  }
  // A local shadows the module's names (`mark = pytest.mark.xfail(...)` then the call).
  if (!ts_node_is_null(mark) && type(mark) == "identifier")
    if (TSNode v = local_value(c, scope, text(c, mark), ts_node_start_byte(call), 0);
        !ts_node_is_null(v))
      return v;
  return mark;
}

struct Walk {
  const ModuleContext& c;
  const RuntimeSites& sites;
  TSNode scope;

  // The cursor stands on the node to look at; it is back there on return.
  void at(TSTreeCursor* cur, const std::optional<std::string>& cond, int depth) {
    TSNode n = ts_tree_cursor_current_node(cur);
    if (depth > kMaxDepth || !may_call_runtime(c, n)) return;
    auto t = type(n);
    if (t == "function_definition" || t == "class_definition" || t == "lambda") return;
    if (t == "call" || t == "raise_statement") {
      if (auto call = runtime_call(c, n)) sites.skip(std::move(*call), cond);
      if (t == "call" && sites.applied)
        if (TSNode mark = applied_mark(c, n, scope); !ts_node_is_null(mark))
          sites.applied(mark, cond);
    }
    const bool branches = t == "if_statement" || t == "elif_clause";
    const bool tries = t == "try_statement";
    if (!ts_tree_cursor_goto_first_child(cur)) return;
    do {
      TSNode ch = ts_tree_cursor_current_node(cur);
      if (!ts_node_is_named(ch)) continue;
      if (branches)
        at(cur, branch_condition(c, n, ch, cond), depth + 1);
      else if (tries)
        at(cur, clause_condition(c, n, ch, cond), depth + 1);
      else
        at(cur, cond, depth + 1);
    } while (ts_tree_cursor_goto_next_sibling(cur));
    ts_tree_cursor_goto_parent(cur);
  }
};

}  // namespace

void walk_runtime(const ModuleContext& c, TSNode body, const std::optional<std::string>& cond,
                  const RuntimeSites& sites) {
  if (ts_node_is_null(body) || !may_call_runtime(c, body)) return;
  TSTreeCursor cur = ts_tree_cursor_new(body);
  Walk{c, sites, body}.at(&cur, cond, 0);
  ts_tree_cursor_delete(&cur);
}

void summarize_runtime(const ModuleContext& c, TSNode body, std::vector<RuntimeSkip>* skips,
                       std::vector<MarkExpr>* applied) {
  RuntimeSites sites;
  if (skips)
    sites.skip = [&](MarkCall call, const std::optional<std::string>& cond) {
      skips->push_back({call.name, std::move(call.args), call.line, cond});
    };
  else
    sites.skip = [](MarkCall, const std::optional<std::string>&) {};
  if (applied)
    sites.applied = [&](TSNode mark, const std::optional<std::string>& cond) {
      std::optional<MarkExpr> e;
      if (type(mark) == "string") {
        if (auto name = string_value(c, mark))
          e = MarkExpr{"pytest.mark." + *name, false, {}, 0, {}};
        if (e) e->line = line_of(mark);
      } else {
        e = mark_expr(c, mark);
      }
      if (!e) return;
      e->guard = cond;
      applied->push_back(std::move(*e));
    };
  walk_runtime(c, body, std::nullopt, sites);
}

std::optional<MarkCall> link_runtime(const ModuleContext& c, const RuntimeSkip& s,
                                     const ModuleSummary& module) {
  const std::string key = runtime_config_key(s.name);
  if (!c.cfg || !configured(*c.cfg, key)) return std::nullopt;
  MarkCall k;
  k.name = s.name;
  k.args = s.args;
  k.line = s.line;
  k.kind = c.cfg->markers.at(key);
  k.guard = s.guard;
  k.origin = module.path + ":" + std::to_string(s.line);
  return k;
}

}  // namespace flakegrab::extractor
