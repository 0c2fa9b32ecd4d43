// Builds a ModuleSummary from a parse: imports and chain assignments become aliases, calls and
// lists of calls assigned to a name become candidate marks, functions keep their parameters,
// returned expressions and the calls that decorate their argument.
#include "grabber/python/summary.h"

namespace flakegrab::extractor {

std::optional<MarkExpr> mark_expr(const ModuleContext& c, TSNode n) {
  auto r = resolve(c, n);
  if (!r) return std::nullopt;
  MarkExpr e;
  e.callee = r->qualified;
  e.line = line_of(n);
  if (type(n) == "call") {
    e.called = true;
    push_args(field(n, "arguments"), e.args, c);
  }
  return e;
}

namespace {

void add_exprs(const ModuleContext& c, TSNode value, std::vector<MarkExpr>& out, int depth) {
  if (depth > kMaxDepth) return;
  auto t = type(value);
  if (t == "list" || t == "tuple" || t == "parenthesized_expression") {
    for (TSNode ch : named_children(value)) add_exprs(c, ch, out, depth + 1);
  } else if (t == "conditional_expression") {
    // `a if cond else b`: either side may be what the function gives.
    add_exprs(c, ts_node_named_child(value, 0), out, depth + 1);
    add_exprs(c, ts_node_named_child(value, 2), out, depth + 1);
  } else if (t == "call" && type(field(value, "function")) == "call") {
    return;  // `X(...)(fn)` is an application, handled by find_applications
  } else if (auto e = mark_expr(c, value)) {
    out.push_back(std::move(*e));
  }
}

std::string param_name(const ModuleContext& c, TSNode p) {
  auto t = type(p);
  if (t == "identifier") return text(c, p);
  if (t == "default_parameter" || t == "typed_default_parameter") return text(c, field(p, "name"));
  if (t == "typed_parameter")
    for (TSNode ch : named_children(p))
      if (type(ch) == "identifier") return text(c, ch);
  return {};
}

using Guard = std::optional<std::string>;

// What a function's body defines as it is read: the functions it defines (a factory that
// returns one gives what it applies) and the values its names were assigned so far, each
// under the condition of its branch (`return async_mark` after an `if` or `try` set it).
struct FnScope {
  std::map<std::string, FunctionSummary> nested;
  std::map<std::string, std::vector<std::pair<TSNode, Guard>>> assigned;
};

// `[f, skip(...)(f)][cond]`: the element a non-literal index picks holds under that index.
std::vector<std::pair<TSNode, std::string>> picked_elements(const ModuleContext& c, TSNode n) {
  std::vector<std::pair<TSNode, std::string>> out;
  if (type(n) != "subscript" || type(field(n, "value")) != "list") return out;
  TSNode index = field(n, "subscript");
  if (ts_node_is_null(index) || type(index) == "integer") return out;
  TSNode list = field(n, "value");
  const std::string idx = text(c, index);
  const std::vector<TSNode> items = named_children(list);
  for (size_t i = 0; i < items.size(); ++i) {
    std::string cond = items.size() != 2 ? "(" + idx + ") == " + std::to_string(i)
                       : i == 1          ? idx
                                         : "not (" + idx + ")";
    out.emplace_back(items[i], std::move(cond));
  }
  return out;
}

// `a if cond else b`: each side under its half of the condition.
void guarded_exprs(const ModuleContext& c, TSNode value, std::vector<MarkExpr>& out,
                   const Guard& guard, FnScope& scope) {
  if (type(value) == "conditional_expression" && ts_node_named_child_count(value) >= 3) {
    std::string cond = text(c, ts_node_named_child(value, 1));
    guarded_exprs(c, ts_node_named_child(value, 0), out, conjoin(guard, cond), scope);
    guarded_exprs(c, ts_node_named_child(value, 2), out, conjoin(guard, "not (" + cond + ")"),
                  scope);
    return;
  }
  if (auto picked = picked_elements(c, value); !picked.empty()) {
    for (const auto& [element, cond] : picked)
      guarded_exprs(c, element, out, conjoin(guard, cond), scope);
    return;
  }
  if (type(value) == "identifier") {
    if (auto it = scope.nested.find(text(c, value)); it != scope.nested.end()) {
      // `return decorator`: calling the factory gives the marks its decorator applies.
      for (MarkExpr e : it->second.applies) {
        if (guard) e.guard = e.guard ? conjoin(guard, *e.guard) : *guard;
        out.push_back(std::move(e));
      }
      return;
    }
    if (auto it = scope.assigned.find(text(c, value)); it != scope.assigned.end()) {
      for (const auto& [v, g] : it->second) {
        // The assignment's condition already holds the branches both are under.
        Guard both = !g ? guard : !guard || g->starts_with(*guard) ? g : conjoin(guard, *g);
        guarded_exprs(c, v, out, both, scope);
      }
      return;
    }
  }
  const size_t first = out.size();
  add_exprs(c, value, out, 0);
  for (size_t i = first; i < out.size(); ++i) out[i].guard = guard;
}

void find_returns(const ModuleContext& c, TSNode n, FunctionSummary& fn, int depth,
                  const Guard& guard, FnScope& scope);

// What a `try` body gives holds only if the statements before it raised nothing; what an
// `except` clause gives, only if the body raised (CPython's `expectedFailureIfStdinIsTTY`).
// Neither is a Python expression: the condition says it in words.
void find_in_try(const ModuleContext& c, TSNode n, FunctionSummary& fn, int depth,
                 const Guard& guard, FnScope& scope) {
  TSNode body = field(n, "body");
  Guard g = guard;
  for (TSNode st : named_children(body)) {
    find_returns(c, st, fn, depth + 1, g, scope);
    if (type(st) != "comment") g = conjoin(g, "`" + text(c, st) + "` raises nothing");
  }
  const std::string raised = try_raised(c, n);
  for (TSNode ch : named_children(n)) {
    auto ct = type(ch);
    if (ct == "except_clause" || ct == "except_group_clause")
      find_returns(c, ch, fn, depth + 1, conjoin(guard, raised), scope);
    else if (ct == "else_clause")
      find_returns(c, ch, fn, depth + 1, g, scope);
    else if (ct == "finally_clause")
      find_returns(c, ch, fn, depth + 1, guard, scope);
  }
}

// Whether a block ends by leaving the function (return or raise).
bool leaves(TSNode block) {
  uint32_t n = ts_node_named_child_count(block);
  if (n == 0) return false;
  auto t = type(ts_node_named_child(block, n - 1));
  return t == "return_statement" || t == "raise_statement";
}

void find_returns(const ModuleContext& c, TSNode n, FunctionSummary& fn, int depth,
                  const Guard& guard, FnScope& scope) {
  if (ts_node_is_null(n) || depth > kMaxDepth) return;
  auto t = type(n);
  if (t == "function_definition" || t == "class_definition" || t == "lambda") return;
  if (t == "return_statement" && ts_node_named_child_count(n) > 0) {
    TSNode value = ts_node_named_child(n, 0);
    // `return has, func` (or a list): each item is what a name unpacking the call gets. A
    // whole use of the call (`pytestmark = f()`) takes every item.
    if (type(value) == "expression_list" || type(value) == "tuple" || type(value) == "list") {
      const std::vector<TSNode> items = items_of(value);
      for (size_t i = 0; i < items.size(); ++i) {
        const size_t first = fn.returns.size();
        guarded_exprs(c, items[i], fn.returns, guard, scope);
        for (size_t k = first; k < fn.returns.size(); ++k)
          fn.returns[k].element = static_cast<int>(i);
      }
    } else {
      guarded_exprs(c, value, fn.returns, guard, scope);
    }
  }
  if (auto picked = picked_elements(c, n); !picked.empty()) {
    for (const auto& [element, cond] : picked)
      find_returns(c, element, fn, depth + 1, conjoin(guard, cond), scope);
    return;
  }
  if (t == "try_statement") {
    find_in_try(c, n, fn, depth, guard, scope);
    return;
  }
  if (t == "assignment" && type(field(n, "left")) == "identifier" &&
      !ts_node_is_null(field(n, "right")))
    scope.assigned[text(c, field(n, "left"))].emplace_back(field(n, "right"), guard);
  // `X(...)(param0)` or `X(param0)`: the function decorates its argument with X.
  if (t == "call" && !fn.params.empty()) {
    TSNode args = field(n, "arguments");
    std::vector<TSNode> pos;
    for (TSNode a : named_children(args))
      if (type(a) != "comment") pos.push_back(a);
    if (pos.size() == 1 && type(pos[0]) == "identifier" && text(c, pos[0]) == fn.params[0]) {
      if (auto e = mark_expr(c, field(n, "function"))) {
        if (type(field(n, "function")) != "call") e->called = false;
        e->guard = guard;
        fn.applies.push_back(std::move(*e));
      }
    }
  }
  if (t == "if_statement") {
    const std::string cond = text(c, field(n, "condition"));
    for (TSNode ch : named_children(n)) {
      auto ct = type(ch);
      if (ct == "block")
        find_returns(c, ch, fn, depth + 1, conjoin(guard, cond), scope);
      else if (ct == "else_clause" || ct == "elif_clause")
        find_returns(c, ch, fn, depth + 1, conjoin(guard, "not (" + cond + ")"), scope);
    }
    return;
  }
  if (t == "conditional_expression" && ts_node_named_child_count(n) >= 3) {
    std::string cond = text(c, ts_node_named_child(n, 1));
    find_returns(c, ts_node_named_child(n, 0), fn, depth + 1, conjoin(guard, cond), scope);
    find_returns(c, ts_node_named_child(n, 2), fn, depth + 1, conjoin(guard, "not (" + cond + ")"),
                 scope);
    return;
  }
  // In a block, `if X: return ...` without an else guards what follows by `not (X)`.
  Guard g = guard;
  for (TSNode ch : named_children(n)) {
    find_returns(c, ch, fn, depth + 1, g, scope);
    if (type(ch) == "if_statement" && ts_node_named_child_count(ch) == 2 &&
        leaves(field(ch, "consequence")))
      g = conjoin(g, "not (" + text(c, field(ch, "condition")) + ")");
  }
}

// How often each plain name is assigned in a function body, nested definitions left out: a
// local assigned again (`err = None`, then `err = str(e)` under an `if`) has no one value.
void count_assignments(const ModuleContext& c, TSNode n, std::map<std::string, int>& counts,
                       int depth) {
  if (ts_node_is_null(n) || depth > kMaxDepth) return;
  auto t = type(n);
  if (t == "function_definition" || t == "class_definition" || t == "lambda") return;
  if (t == "assignment" || t == "augmented_assignment" || t == "named_expression") {
    TSNode left = field(n, t == "named_expression" ? "name" : "left");
    if (type(left) == "identifier") ++counts[text(c, left)];
  }
  for (TSNode ch : named_children(n)) count_assignments(c, ch, counts, depth + 1);
}

FunctionSummary summarize_function(const ModuleContext& c, TSNode def) {
  FunctionSummary fn;
  TSNode params = field(def, "parameters");
  for (TSNode p : named_children(params)) {
    std::string name = param_name(c, p);
    if (name.empty()) continue;
    fn.params.push_back(name);
    TSNode v = field(p, "value");
    if (!ts_node_is_null(v)) fn.defaults[name] = {name, text(c, v), string_value(c, v)};
  }
  TSNode body = field(def, "body");
  std::map<std::string, int> assigned;
  count_assignments(c, body, assigned, 0);
  for (TSNode s : named_children(body)) {
    if (type(s) != "expression_statement") continue;
    TSNode a = ts_node_named_child(s, 0);
    if (type(a) != "assignment" || type(field(a, "left")) != "identifier") continue;
    TSNode v = field(a, "right");
    std::string name = text(c, field(a, "left"));
    if (!ts_node_is_null(v) && assigned[name] == 1)
      fn.locals[name] = {name, text(c, v), string_value(c, v)};
  }
  FnScope scope;
  for (TSNode s : named_children(body)) {
    if (type(s) == "decorated_definition") s = field(s, "definition");
    if (type(s) != "function_definition") continue;
    FunctionSummary inner = summarize_function(c, s);
    // The decorator's own locals (`msg = ...`) fill its marks' arguments like the factory's.
    for (const auto& [name, value] : inner.locals) fn.locals.emplace(name, value);
    scope.nested[text(c, field(s, "name"))] = std::move(inner);
  }
  find_returns(c, body, fn, 0, std::nullopt, scope);
  return fn;
}

// A decorated definition's decorator expressions, in written order.
std::vector<TSNode> decorators_of(TSNode decorated) {
  std::vector<TSNode> out;
  for (TSNode d : named_children(decorated)) {
    if (type(d) == "decorator" && ts_node_named_child_count(d) > 0)
      out.push_back(ts_node_named_child(d, 0));
  }
  return out;
}

std::vector<ParamItem> summary_items(std::vector<ParamItem> items);

// The argvalues of `@pytest.mark.parametrize(argnames, argvalues, ...)`; null otherwise.
TSNode parametrize_values(const ModuleContext& c, TSNode d) {
  if (type(d) != "call") return TSNode{};
  auto r = resolve(c, d);
  if (!r || r->qualified != "pytest.mark.parametrize") return TSNode{};
  size_t pos = 0;
  for (TSNode a : named_children(field(d, "arguments"))) {
    if (type(a) == "comment") continue;
    if (type(a) == "keyword_argument") {
      if (text(c, field(a, "name")) == "argvalues") return field(a, "value");
      continue;
    }
    if (pos++ == 1) return a;
  }
  return TSNode{};
}

// Whether a setup method's body calls the same method of another class: `super().NAME()`,
// `super(K, self).NAME()`, `Base.NAME(self)`.
bool calls_next(const ModuleContext& c, TSNode n, const std::string& name, int depth) {
  if (ts_node_is_null(n) || depth > kMaxDepth) return false;
  auto t = type(n);
  if (t == "function_definition" || t == "class_definition" || t == "lambda") return false;
  if (t == "call") {
    TSNode callee = field(n, "function");
    if (type(callee) == "attribute" && text(c, field(callee, "attribute")) == name) {
      TSNode obj = field(callee, "object");
      if (type(obj) == "call" && text(c, field(obj, "function")) == "super") return true;
      auto ot = type(obj);
      if ((ot == "identifier" || ot == "attribute") && text(c, obj) != "self" &&
          text(c, obj) != "cls")
        return true;
    }
  }
  for (TSNode ch : named_children(n))
    if (calls_next(c, ch, name, depth + 1)) return true;
  return false;
}

MemberSummary summarize_member(const ModuleContext& c, TSNode def,
                               const std::vector<TSNode>& decorators) {
  MemberSummary m;
  m.name = text(c, field(def, "name"));
  m.line = line_of(def);
  m.function = true;
  for (TSNode d : decorators) {
    auto e = mark_expr(c, d);
    if (!e) continue;
    if (e->callee == "pytest.fixture") m.fixture = true;
    m.decorators.push_back(std::move(*e));
  }
  m.requests = requested_fixtures(c, def, decorators);
  // A subclass that inherits the method gets its pytest.param marks (pandas' extension
  // base tests: `pytest.param("string[pyarrow]", marks=td.skip_if_no("pyarrow"))`).
  for (TSNode d : decorators)
    if (TSNode values = parametrize_values(c, d); !ts_node_is_null(values))
      for (auto& i : summary_items(param_items(c, values))) m.param_items.push_back(std::move(i));
  if (is_setup_method(m.name)) {
    summarize_runtime(c, field(def, "body"), &m.skips, nullptr);
    m.calls_super = calls_next(c, field(def, "body"), m.name, 0);
  }
  return m;
}

// The class's bases as resolved here, its decorators, `pytestmark`, and the names its body
// defines (methods with their decorators), for the link step's MRO.
ClassSummary summarize_class(const ModuleContext& c, TSNode def,
                             const std::vector<TSNode>& decorators, int depth = 0) {
  ClassSummary k;
  k.name = text(c, field(def, "name"));
  TSNode sup = field(def, "superclasses");
  for (TSNode b : named_children(sup)) {
    auto bt = type(b);
    // `metaclass=...` is no base; `with_metaclass(M, B)` and `Generic[T]` are not followed.
    if (bt != "identifier" && bt != "attribute") continue;
    if (auto r = resolve(c, b)) {
      // `class TestCase(TestCase)`: the base is the name as bound before this class.
      if (r->qualified == c.module + "." + k.name) r->qualified = text(c, b);
      k.bases.push_back(r->qualified);
    }
  }
  for (TSNode d : decorators)
    if (auto e = mark_expr(c, d)) k.decorators.push_back(std::move(*e));
  TSNode body = field(def, "body");
  for (TSNode st : named_children(body)) {
    auto t = type(st);
    if (t == "decorated_definition" || t == "function_definition") {
      TSNode d = t == "decorated_definition" ? field(st, "definition") : st;
      if (ts_node_is_null(d)) continue;
      std::vector<TSNode> decs =
          t == "decorated_definition" ? decorators_of(st) : std::vector<TSNode>{};
      if (type(d) == "function_definition") {
        k.members.push_back(summarize_member(c, d, decs));
        if (k.members.back().name == "__init__") k.has_init = true;
      } else if (type(d) == "class_definition") {
        k.members.push_back(
            {text(c, field(d, "name")), line_of(d), false, false, {}, {}, {}, {}, false});
        if (depth < 8) k.nested.push_back(summarize_class(c, d, decs, depth + 1));
      }
    } else if (t == "class_definition") {
      k.members.push_back(
          {text(c, field(st, "name")), line_of(st), false, false, {}, {}, {}, {}, false});
      if (depth < 8) k.nested.push_back(summarize_class(c, st, {}, depth + 1));
    } else if (t == "expression_statement") {
      TSNode a = ts_node_named_child(st, 0);
      auto at = type(a);
      if (at != "assignment" && at != "augmented_assignment") continue;
      TSNode left = field(a, "left");
      if (type(left) != "identifier") continue;
      std::string name = text(c, left);
      TSNode right = field(a, "right");
      if (name == "pytestmark" && !ts_node_is_null(right)) {
        if (at == "assignment") k.pytestmark.clear();
        add_exprs(c, right, k.pytestmark, 0);
      } else if (name == "__test__" && at == "assignment") {
        auto v = type(right);
        if (v == "true" || v == "false") k.dunder_test = v == "true";
      } else if (at == "assignment") {
        // `test_x = None` hides an inherited test_x.
        k.members.push_back({name, line_of(st), false, false, {}, {}, {}, {}, false});
      }
    }
  }
  k.fixtures = class_fixtures(c, body);
  return k;
}

// A summary outlives its parse: its items keep their marks as MarkExprs only.
std::vector<ParamItem> summary_items(std::vector<ParamItem> items) {
  for (auto& i : items) i.marks_node = TSNode{};
  return items;
}

// A module-level list of parameter sets grown in place (`VALS += [...]`, `VALS.append(x)`,
// `VALS.extend(...)`) gets the new items; any other call of its methods leaves its sets unknown.
void list_mutation(const ModuleContext& c, TSNode a, ModuleSummary& s) {
  const bool augmented = type(a) == "augmented_assignment";
  TSNode target = augmented ? field(a, "left") : field(field(a, "function"), "object");
  if (type(target) != "identifier") return;
  auto it = s.symbols.find(text(c, target));
  if (it == s.symbols.end() || it->second.params.empty()) return;
  auto& params = it->second.params;
  std::vector<TSNode> args;
  if (!augmented)
    for (TSNode x : named_children(field(a, "arguments")))
      if (type(x) != "comment") args.push_back(x);
  const std::string method = augmented ? "" : text(c, field(field(a, "function"), "attribute"));
  std::vector<ParamItem> added;
  if (augmented && text(c, field(a, "operator")) == "+=")
    added = param_items(c, field(a, "right"));
  else if (method == "append" && args.size() == 1)
    added.push_back(param_item(c, args[0]));
  else if (method == "extend" && args.size() == 1)
    added = param_items(c, args[0]);
  else if (augmented || !method.empty())
    added.push_back(ParamItem::unknown());
  for (auto& i : summary_items(std::move(added))) params.push_back(std::move(i));
}

// What `name = right` makes of a module-level name; nullopt for a name or attribute (an alias,
// which the bindings give) or nothing at all.
std::optional<Symbol> assigned_symbol(const ModuleContext& c, TSNode right, int line) {
  auto rt = type(right);
  if (rt == "identifier" || rt == "attribute" || ts_node_is_null(right)) return std::nullopt;
  Symbol sym;
  sym.line = line;
  if (rt == "call" || rt == "list" || rt == "tuple" || rt == "parenthesized_expression") {
    sym.kind = Symbol::mark_list;
    add_exprs(c, right, sym.marks, 0);
  }
  if (rt == "list" || rt == "tuple" || rt == "parenthesized_expression" ||
      rt == "binary_operator" || rt == "list_comprehension" || rt == "generator_expression")
    sym.params = summary_items(param_items(c, right));
  return sym;
}

void walk(const ModuleContext& c, TSNode n, ModuleSummary& s, int depth, bool fallback,
          const std::vector<TSNode>& decorators = {}) {
  if (depth > kMaxDepth) return;
  auto t = type(n);
  auto put = [&](const std::string& name, Symbol sym) {
    if (fallback && s.symbols.count(name)) return;
    s.symbols[name] = std::move(sym);
  };
  if (t == "import_statement" || t == "import_from_statement") {
    for (TSNode ch : named_children(n))
      if (type(ch) == "wildcard_import")
        s.star_imports.push_back(absolute_module(c.module, c.path.ends_with("__init__.py"),
                                                 text(c, field(n, "module_name"))));
    // The names themselves come from the bindings (below).
  } else if (t == "expression_statement") {
    TSNode a = ts_node_named_child(n, 0);
    if (type(a) == "augmented_assignment" || type(a) == "call") {
      list_mutation(c, a, s);
      return;
    }
    if (type(a) != "assignment") return;
    TSNode left = field(a, "left"), right = field(a, "right");
    if (type(left) == "identifier") {
      if (auto sym = assigned_symbol(c, right, line_of(n))) put(text(c, left), std::move(*sym));
      return;
    }
    // `has_dask, requires_dask = _importorskip("dask")`: each name an item of what the call
    // returns; `a, b = x, y`: each its own value.
    const std::vector<TSNode> names = unpacked_names(left);
    if (names.empty() || ts_node_is_null(right)) return;
    const std::vector<TSNode> values = items_of(right);
    const bool display = type(right) == "expression_list" || type(right) == "tuple";
    for (size_t i = 0; i < names.size(); ++i) {
      if (display) {
        if (values.size() != names.size()) return;
        if (auto sym = assigned_symbol(c, values[i], line_of(n))) put(text(c, names[i]), *sym);
      } else if (type(right) == "call") {
        Symbol sym;
        sym.kind = Symbol::mark_list;
        sym.line = line_of(n);
        if (auto e = mark_expr(c, right)) {
          e->element = static_cast<int>(i);
          sym.marks.push_back(std::move(*e));
        }
        put(text(c, names[i]), std::move(sym));
      }
    }
  } else if (t == "function_definition") {
    Symbol sym;
    sym.kind = Symbol::function;
    sym.line = line_of(n);
    sym.fn = summarize_function(c, n);
    sym.def = summarize_member(c, n, decorators);
    put(text(c, field(n, "name")), std::move(sym));
  } else if (t == "class_definition") {
    Symbol sym;
    sym.kind = Symbol::klass;
    sym.line = line_of(n);
    sym.cls = summarize_class(c, n, decorators);
    put(text(c, field(n, "name")), std::move(sym));
  } else if (t == "decorated_definition") {
    walk(c, field(n, "definition"), s, depth + 1, fallback, decorators_of(n));
  } else if (is_block_stmt(t) || t == "module") {
    const bool fb = fallback || t == "except_clause";
    for (TSNode ch : named_children(n)) walk(c, ch, s, depth + 1, fb);
  }
}

}  // namespace

ModuleSummary summarize(std::string_view path, std::string_view source, TSNode root) {
  ModuleContext c{source, path, nullptr, module_of_path(path), {}, {}, {}, {}};
  scan_bindings(c, root, 0);
  ModuleSummary s;
  s.path = std::string(path);
  s.module = c.module;
  for (const auto& [name, b] : c.scope) {
    if (b.kind == BindingKind::import || b.kind == BindingKind::from_import ||
        (b.kind == BindingKind::assignment && b.qualified != c.module + "." + name)) {
      Symbol sym;
      sym.kind = Symbol::alias;
      sym.qualified = b.qualified;
      s.symbols[name] = std::move(sym);
    }
  }
  walk(c, root, s, 0, false);
  summarize_fixtures(c, root, s);
  return s;
}

}  // namespace flakegrab::extractor
