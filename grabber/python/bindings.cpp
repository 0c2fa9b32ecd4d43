// Module-level bindings: what each name stands for (an import, a dotted name, a local class or
// function), and which names are marks (`xf = pytest.mark.xfail(strict=False)`).
#include "grabber/python/internals.h"

namespace flakegrab::extractor {
namespace {

// `only_new`: inside an `except` clause, whose definitions are the fallback of the `try` ones.
void bind(ModuleContext& c, const std::string& name, Binding b, bool only_new) {
  settle(c, name);  // what a pending question would have bound comes first
  if (only_new && c.scope.count(name)) return;
  c.scope[name] = std::move(b);
}

void bind_imports(ModuleContext& c, TSNode n, bool only_new) {
  for (TSNode ch : named_children(n)) {
    if (type(ch) == "aliased_import") {
      bind(c, text(c, field(ch, "alias")), {BindingKind::import, text(c, field(ch, "name"))},
           only_new);
    } else if (type(ch) == "dotted_name") {
      // `import unittest.mock` binds `unittest`, as Python does.
      std::string mod = text(c, ch);
      std::string first = mod.substr(0, mod.find('.'));
      bind(c, first, {BindingKind::import, first}, only_new);
    }
  }
}

void bind_from_import(ModuleContext& c, TSNode n, bool only_new) {
  TSNode mod_node = field(n, "module_name");
  std::string mod = absolute_module(c.module, c.path.ends_with("__init__.py"), text(c, mod_node));
  for (TSNode ch : named_children(n)) {
    if (ts_node_eq(ch, mod_node)) continue;
    std::string name, as;
    if (type(ch) == "aliased_import") {
      name = text(c, field(ch, "name"));
      as = text(c, field(ch, "alias"));
    } else if (type(ch) == "dotted_name") {
      name = as = text(c, ch);
    } else {
      continue;
    }
    bind(c, as, {BindingKind::from_import, mod.empty() ? name : mod + "." + name}, only_new);
  }
}

// `name = right`: an alias of a dotted name, a mark (at once, or once a link query is settled).
void bind_value(ModuleContext& c, const std::string& name, TSNode right, bool only_new) {
  if (name == "pytestmark") return;
  if (only_new) settle(c, name);
  if (only_new && c.scope.count(name)) return;
  if (type(right) == "identifier" || type(right) == "attribute") {
    // `m = pytest.mark`, `skip = unittest.skip`: the name stands for the dotted name.
    if (auto r = resolve(c, right)) bind(c, name, {BindingKind::assignment, r->qualified}, false);
    return;
  }
  auto m = mark_or_query(c, right);
  if (auto* q = std::get_if<LinkQuery>(&m)) {
    // Asked when `name` is first resolved; a name bound already is asked now, as what it
    // hides may be read without resolving it (the runtime-skip names).
    c.pending[name].push_back(std::move(*q));
    if (c.scope.count(name)) settle(c, name);
  } else if (auto& calls = std::get<std::vector<MarkCall>>(m); !calls.empty()) {
    bind(c, name, {BindingKind::assignment, c.module + "." + name}, false);
    c.marker_aliases[name] = std::move(calls);
  }
}

void bind_assignment(ModuleContext& c, TSNode n, bool only_new) {
  TSNode a = ts_node_named_child(n, 0);
  if (type(a) != "assignment") return;
  TSNode left = field(a, "left"), right = field(a, "right");
  if (ts_node_is_null(left) || ts_node_is_null(right)) return;
  if (type(left) == "identifier") {
    bind_value(c, text(c, left), right, only_new);
    return;
  }
  const std::vector<TSNode> names = unpacked_names(left);
  if (type(right) == "expression_list" || type(right) == "tuple") {
    // `skip_win, xf = pytest.mark.skip, pytest.mark.xfail(...)`: each name its own value.
    const std::vector<TSNode> values = items_of(right);
    if (values.size() == names.size())
      for (size_t i = 0; i < names.size(); ++i)
        bind_value(c, text(c, names[i]), values[i], only_new);
    return;
  }
  // `has_x, requires_x = _importorskip("x")`: each name is the module's own, its value what
  // the module's summary says it is (an item of what the call returns).
  for (TSNode t : names) {
    std::string name = text(c, t);
    if (name == "pytestmark") continue;
    if (only_new) settle(c, name);
    if (only_new && c.scope.count(name)) continue;
    bind(c, name, {BindingKind::assignment, c.module + "." + name}, false);
    c.marker_aliases.erase(name);
  }
}

void scan(ModuleContext& c, TSNode n, int depth, bool only_new) {
  if (depth > kMaxDepth) return;
  auto t = type(n);
  if (t == "import_statement") {
    bind_imports(c, n, only_new);
  } else if (t == "import_from_statement") {
    bind_from_import(c, n, only_new);
  } else if (t == "expression_statement") {
    bind_assignment(c, n, only_new);
  } else if (t == "class_definition") {
    std::string name = text(c, field(n, "name"));
    settle(c, name);
    if (only_new && c.scope.count(name)) return;
    bind(c, name, {BindingKind::klass, c.module + "." + name}, false);
    c.classes[name] = field(n, "superclasses");
  } else if (t == "function_definition") {
    std::string name = text(c, field(n, "name"));
    bind(c, name, {BindingKind::function, c.module + "." + name}, only_new);
  } else if (t == "decorated_definition") {
    scan(c, field(n, "definition"), depth + 1, only_new);
  } else if (is_block_stmt(t) || t == "module") {
    const bool fallback = only_new || t == "except_clause";
    for (TSNode ch : named_children(n)) scan(c, ch, depth + 1, fallback);
  }
}

}  // namespace

void scan_bindings(ModuleContext& c, TSNode n, int depth) {
  scan(c, n, depth, false);
}

ClassScope::ClassScope(ModuleContext& c, TSNode body) : c_(c) {
  for (TSNode st : named_children(body)) {
    if (type(st) != "expression_statement") continue;
    TSNode a = ts_node_named_child(st, 0);
    if (type(a) != "assignment" || type(field(a, "left")) != "identifier") continue;
    std::string name = text(c, field(a, "left"));
    if (saved_.count(name)) continue;
    Saved& was = saved_[name];
    if (auto b = c.scope.find(name); b != c.scope.end()) was.binding = b->second;
    if (auto m = c.marker_aliases.find(name); m != c.marker_aliases.end()) was.marks = m->second;
    // The module's pending questions stay ahead of the class's own: asked in the class, they
    // give what they would have given at module level.
    if (auto q = c.pending.find(name); q != c.pending.end()) was.pending = q->second;
    bind_assignment(c, st, false);
  }
}

ClassScope::~ClassScope() {
  for (auto& [name, was] : saved_) {
    if (was.binding)
      c_.scope[name] = std::move(*was.binding);
    else
      c_.scope.erase(name);
    if (was.marks)
      c_.marker_aliases[name] = std::move(*was.marks);
    else
      c_.marker_aliases.erase(name);
    if (was.pending)
      c_.pending[name] = std::move(*was.pending);
    else
      c_.pending.erase(name);
  }
}

void settle(const ModuleContext& c, const std::string& name) {
  auto it = c.pending.find(name);
  if (it == c.pending.end()) return;
  std::vector<LinkQuery> queries = std::move(it->second);
  c.pending.erase(it);  // before asking: the link step may resolve names again
  for (const LinkQuery& q : queries) {
    std::vector<MarkCall> calls = linked_marks(c, q);
    if (calls.empty()) continue;
    c.scope[name] = {BindingKind::assignment, c.module + "." + name};
    c.marker_aliases[name] = std::move(calls);
  }
}

}  // namespace flakegrab::extractor
