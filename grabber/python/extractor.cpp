// Walks a tree-sitter Python parse and turns decorators, pytestmark assignments,
// pytest.param(marks=...) and runtime skip calls into Marker records.
#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "grabber/grabber.h"
#include "grabber/python/inherit.h"
#include "grabber/python/internals.h"
#include "grabber/python/link_sites.h"
#include "grabber/python/module_index.h"
#include "grabber/python/parse.h"
#include "grabber/python/regions.h"
#include "grabber/python/summary.h"

namespace flakegrab {
namespace {

using namespace extractor;

// `pytestmark = ...` or `pytestmark += [...]`: pytest reads the list as it is when collecting.
bool is_pytestmark_assignment(const ModuleContext& c, TSNode n) {
  auto t = type(n);
  return (t == "assignment" || t == "augmented_assignment") &&
         text(c, field(n, "left")) == "pytestmark";
}

// A mark that applies to every test below it (class or module), not yet attached to a test.
struct ScopeMark {
  MarkCall call;
  MarkerScope scope;
  std::optional<std::string> condition;  // the `if` around a module-level pytest.skip(...)
  std::optional<std::string> via;        // the ancestor class it comes from
};

Marker attach(const ModuleContext& c, const ScopeMark& p, std::string test_id) {
  Marker m = marker_record(c, p.call, std::move(test_id), p.scope);
  if (p.condition) {
    m.condition = p.condition;
    altered(c, p.call);
  }
  m.via = p.via;
  return m;
}

struct Test {
  std::string id;
  TSNode def;
  bool expanded = false;  // its parametrize marks, the enclosing scopes' included, are recorded
};

// Whether an expression resolves to `qualified` (a call to it counts: the callee is compared).
bool resolves_to(const ModuleContext& c, TSNode expr, std::string_view qualified) {
  auto r = resolve(c, expr);
  return r && r->qualified == qualified;
}

bool is_fixture(const ModuleContext& c, TSNode dec_expr) {
  return resolves_to(c, dec_expr, "pytest.fixture");
}

void collect_runtime(ModuleContext& c, TSNode n, const std::string& id);

bool is_parametrize(const ModuleContext& c, TSNode dec_expr) {
  return type(dec_expr) == "call" && resolves_to(c, dec_expr, "pytest.mark.parametrize");
}

// pytest.param(..., marks=...) sets of one @parametrize, on `fn_id` (a test it reaches whose
// combined ids are not known: inherited tests).
void collect_params(ModuleContext& c, TSNode dec_expr, const std::string& fn_id) {
  if (ts_node_is_null(dec_expr) || !is_parametrize(c, dec_expr)) return;
  for (const auto& set : parametrize_sets(c, field(dec_expr, "arguments")).sets)
    for (auto& m : set.marks) c.out.push_back(marker_record(c, m, fn_id, MarkerScope::param));
}

// `@pytest.fixture(params=...)`: the fixture's ids join those of the tests that use it.
bool is_parametrized_fixture(const ModuleContext& c, TSNode dec_expr) {
  if (type(dec_expr) != "call" || !is_fixture(c, dec_expr)) return false;
  for (TSNode a : named_children(field(dec_expr, "arguments")))
    if (type(a) == "keyword_argument" && text(c, field(a, "name")) == "params") return true;
  return false;
}

// The parametrize marks of a `pytestmark` value (a mark, or a list or tuple of marks), in order.
std::vector<TSNode> parametrizes_of(const ModuleContext& c, TSNode value) {
  std::vector<TSNode> items = items_of(value);
  if (items.empty()) items.push_back(value);
  std::vector<TSNode> out;
  for (TSNode n : items)
    if (is_parametrize(c, n)) out.push_back(n);
  return out;
}

// Records the marked sets of a test's parametrize `stack` (pytest's order: its own decorators
// nearest first, then c.scope_parametrize). pytest's item id joins one id of each parametrize
// with `-`, in stack order: `test_s[1-3]`. A marked set is recorded on every item it is part
// of when its id and every set's id of the other parametrizes are known (`ids_known` false:
// a parametrized fixture joins ids of its own), else once on the function id.
void collect_stack(ModuleContext& c, const std::vector<TSNode>& stack, const std::string& fn_id,
                   bool ids_known) {
  constexpr size_t kMaxItems = 4096;  // per marked set; past it the function id
  std::vector<ParamSets> all;
  std::vector<bool> complete;  // every set known, each with its id
  for (TSNode d : stack) {
    all.push_back(ts_node_is_null(d) ? ParamSets{{}, false}
                                     : parametrize_sets(c, field(d, "arguments")));
    bool ok = all.back().exact && !all.back().sets.empty();
    for (const auto& s : all.back().sets) ok = ok && s.id.has_value();
    complete.push_back(ok);
  }
  for (size_t k = 0; k < all.size(); ++k) {
    for (const auto& set : all[k].sets) {
      if (set.marks.empty()) continue;
      bool known = ids_known && set.id.has_value();
      size_t items = 1;
      for (size_t j = 0; j < all.size() && known; ++j) {
        if (j == k) continue;
        known = complete[j] && (items *= all[j].sets.size()) <= kMaxItems;
      }
      std::vector<std::string> ids;
      if (!known) {
        ids.push_back(fn_id);
      } else {
        // Every combination of the other parametrizes' ids around this set's own.
        ids.push_back("");
        for (size_t j = 0; j < all.size(); ++j) {
          std::vector<std::string> next;
          for (const auto& prefix : ids) {
            if (j == k) {
              next.push_back(prefix + (j ? "-" : "") + *set.id);
              continue;
            }
            for (const auto& other : all[j].sets)
              next.push_back(prefix + (j ? "-" : "") + *other.id);
          }
          ids = std::move(next);
        }
        for (auto& i : ids) i = fn_id + "[" + i + "]";
      }
      for (const auto& tid : ids)
        for (const auto& m : set.marks)
          c.out.push_back(marker_record(c, m, tid, MarkerScope::param));
    }
  }
}

void handle_function(ModuleContext& c, TSNode def, const std::vector<TSNode>& decorators,
                     const std::string& prefix, bool collect_tests,
                     const std::vector<ScopeMark>& inherited, std::vector<Test>* tests) {
  std::string name = text(c, field(def, "name"));
  std::string id = prefix + "::" + name;
  bool fixture = false;
  for (TSNode d : decorators) fixture = fixture || is_fixture(c, d);
  // unittest's loader picks a TestCase's methods by its own `test` prefix; pytest's
  // python_functions picks the others.
  bool named = c.in_testcase ? name.starts_with("test") : c.names->is_test_function(name);
  bool test = collect_tests && named && !fixture;
  if (!test && !fixture) return;
  for (TSNode d : decorators)
    for (auto& m : decorator_marks(c, d))
      c.out.push_back(
          marker_record(c, m, id, fixture ? MarkerScope::fixture : MarkerScope::function));
  if (!test) return;
  // A parametrized fixture the test uses joins its ids to the parametrize's ones.
  bool fixture_params = false;
  std::vector<FixtureMark> used_marks =
      fixture_marks(c, requested_fixtures(c, def, decorators), &fixture_params);
  std::vector<TSNode> stack;
  for (auto d = decorators.rbegin(); d != decorators.rend(); ++d)
    if (is_parametrize(c, *d)) stack.push_back(*d);
  stack.insert(stack.end(), c.scope_parametrize.begin(), c.scope_parametrize.end());
  collect_stack(c, stack, id, !fixture_params);
  for (const auto& p : inherited) c.out.push_back(attach(c, p, id));
  // setup_function runs before each module-level test function.
  if (prefix == c.path)
    for (const auto& k : c.function_setup)
      c.out.push_back(marker_record(c, k, id, MarkerScope::runtime));
  // A fixture's mark is used where the test requests it: the `def` line.
  for (auto& m : used_marks) {
    m.call.line = line_of(def);
    c.out.push_back(marker_record(c, m.call, id, m.scope));
  }
  if (tests) tests->push_back({id, def, true});
  collect_runtime(c, field(def, "body"), id);
}

// Records what a test body does at run time: its runtime skips (scope runtime, the `if`
// around as condition) and the marks it adds to itself (`request.applymarker(mark)`).
void collect_runtime(ModuleContext& c, TSNode n, const std::string& id) {
  RuntimeSites sites;
  sites.skip = [&](MarkCall call, const std::optional<std::string>& at) {
    Marker m = marker_record(c, call, id, MarkerScope::runtime);
    m.condition = at;
    if (at) altered(c, call);
    c.out.push_back(std::move(m));
  };
  sites.applied = [&](TSNode mark, const std::optional<std::string>& at) {
    for (auto& k : added_marks(c, mark)) {
      if (at) {
        k.guard = k.guard ? conjoin(at, *k.guard) : *at;
        altered(c, k);
      }
      c.out.push_back(marker_record(c, k, id, MarkerScope::runtime));
    }
  };
  walk_runtime(c, n, std::nullopt, sites);
}

// Whether none of the sorted offsets `at` falls in a body left out of the parse.
bool outside(const std::vector<uint32_t>& at, const std::vector<python::Elided>& elided) {
  size_t k = 0;
  for (uint32_t p : at) {
    while (k < elided.size() && elided[k].end <= p) ++k;
    if (k < elided.size() && elided[k].begin <= p) return false;
  }
  return true;
}

// Where the names a runtime skip can be called by start in the source (see ModuleContext):
// `words_at`, where runtime_words start, and the module's names bound to a runtime skip.
std::vector<uint32_t> runtime_names_at(const ModuleContext& c,
                                       const std::vector<uint32_t>& words_at) {
  std::vector<std::string> aliases;
  for (const auto& [name, b] : c.scope)
    if (names_runtime_skip(*c.cfg, b.qualified)) aliases.push_back(name);
  if (aliases.empty()) return words_at;
  std::vector<uint32_t> at = python::word_positions(c.src, aliases);
  std::vector<uint32_t> out;
  std::merge(words_at.begin(), words_at.end(), at.begin(), at.end(), std::back_inserter(out));
  return out;
}

void walk_body(ModuleContext& c, TSNode body, const std::string& prefix, bool collect_tests,
               const std::vector<ScopeMark>& inherited, std::vector<Test>* tests, int depth,
               const std::set<std::string>* taken = nullptr);

// A base names a unittest.TestCase: a class of this module that is itself one, or an outside
// class whose last name ends in `TestCase` (`unittest.TestCase` under any alias,
// `django.test.TestCase`). A local class that merely has `TestCase` in its name is not.
bool is_testcase(const ModuleContext& c, TSNode superclasses, int depth) {
  if (ts_node_is_null(superclasses) || depth > 16) return false;
  for (TSNode base : named_children(superclasses)) {
    auto r = resolve(c, base);
    if (!r) continue;
    if (r->qualified.starts_with(c.module + ".")) {
      auto local = c.classes.find(r->qualified.substr(c.module.size() + 1));
      if (local != c.classes.end()) {
        if (is_testcase(c, local->second, depth + 1)) return true;
        continue;
      }
    }
    std::string_view q = r->qualified;
    if (q.substr(q.rfind('.') + 1).ends_with("TestCase")) return true;
  }
  return false;
}

// The value of a literal `__test__ = True/False` among a body's statements (the last one).
std::optional<bool> dunder_test(const ModuleContext& c, TSNode body) {
  std::optional<bool> value;
  for (TSNode s : named_children(body)) {
    if (type(s) != "expression_statement") continue;
    TSNode a = ts_node_named_child(s, 0);
    if (type(a) != "assignment" || text(c, field(a, "left")) != "__test__") continue;
    auto v = type(field(a, "right"));
    if (v == "true" || v == "false") value = v == "true";
  }
  return value;
}

// The runtime skips in the functions a body defines under the names `wanted` accepts, each
// name's last definition (at module level also inside if/try blocks), by name; a defined
// name with none maps to an empty list.
std::map<std::string, std::vector<ScopeMark>> setup_skips(
    ModuleContext& c, TSNode body, const std::function<bool(const std::string&)>& wanted,
    bool blocks) {
  std::map<std::string, TSNode> defs;
  std::vector<TSNode> todo{body};
  while (!todo.empty()) {
    TSNode b = todo.back();
    todo.pop_back();
    for (TSNode s : named_children(b)) {
      if (blocks && is_block_stmt(type(s)) && todo.size() < kMaxDepth) todo.push_back(s);
      TSNode d = type(s) == "decorated_definition" ? field(s, "definition") : s;
      if (type(d) != "function_definition") continue;
      std::string name = text(c, field(d, "name"));
      auto it = defs.find(name);
      if (wanted(name) &&
          (it == defs.end() || ts_node_start_byte(it->second) < ts_node_start_byte(d)))
        defs[name] = d;
    }
  }
  std::map<std::string, std::vector<ScopeMark>> out;
  for (const auto& [name, d] : defs) {
    auto& list = out[name];
    RuntimeSites sites;
    sites.skip = [&](MarkCall call, const std::optional<std::string>& cond) {
      list.push_back({std::move(call), MarkerScope::runtime, cond, std::nullopt});
    };
    walk_runtime(c, field(d, "body"), std::nullopt, sites);
  }
  return out;
}

// The records of a test a class inherits (`tid` under the class that collects it): its own
// marks and its pytest.params' (under the function id: the set ids are not in the summary),
// with `via` its defining class; the classes' marks around it (`scope`); its fixtures' marks,
// looked up from the module where pytest collects it; all at the collecting class's line.
void collect_inherited_test(ModuleContext& c, const InheritedTest& t, const std::string& tid,
                            int class_line, const std::vector<ScopeMark>& scope) {
  for (const auto& [list, scope_of] :
       {std::pair{&t.marks, MarkerScope::function}, std::pair{&t.param_marks, MarkerScope::param}})
    for (MarkCall k : *list) {
      k.line = class_line;
      Marker m = marker_record(c, k, tid, scope_of);
      if (!t.via.empty()) m.via = t.via;
      c.out.push_back(std::move(m));
    }
  for (const auto& p : scope) c.out.push_back(attach(c, p, tid));
  for (auto& k : fixture_marks(c, t.requests)) {
    k.call.line = class_line;
    c.out.push_back(marker_record(c, k.call, tid, k.scope));
  }
}

// The classes a class gets from an ancestor's body (`TestSub::TestNested::test_x`), collected as
// pytest collects a nested class: named as a test class (or a TestCase), no `__init__`. Each
// test has its own marks, its class's and every enclosing class's (`marks`), at the subclass's
// line; `via` is where each is written.
void collect_inherited_classes(ModuleContext& c, const std::vector<InheritedClass>& classes,
                               const std::string& prefix, int class_line, TSNode def,
                               const std::vector<ScopeMark>& marks, std::vector<Test>& mine) {
  for (const auto& ic : classes) {
    const ClassView& v = ic.view;
    bool collect = (c.names->is_test_class(ic.name) && !v.has_init) || v.testcase;
    if (v.dunder_test) collect = *v.dunder_test && (!v.has_init || v.testcase);
    if (!collect) continue;
    const std::string id = prefix + "::" + ic.name;
    std::vector<ScopeMark> scope = marks;
    for (const auto& im : v.marks) {
      MarkCall k = im.call;
      k.line = class_line;
      scope.push_back({k, MarkerScope::klass, std::nullopt, im.via});
    }
    const std::vector<ClassFixtures> outer_fixtures = c.class_fixtures;
    c.class_fixtures.insert(c.class_fixtures.begin(), v.fixtures.begin(), v.fixtures.end());
    for (const auto& t : v.tests) {
      const std::string tid = id + "::" + t.name;
      collect_inherited_test(c, t, tid, class_line, scope);
      for (const auto& s : v.setup_skips) {
        MarkCall k = s.call;
        k.line = class_line;
        c.out.push_back(attach(c, {k, MarkerScope::runtime, std::nullopt, s.via}, tid));
      }
      mine.push_back({tid, def});
    }
    // pytest collects no class nested in a TestCase.
    if (!v.testcase) collect_inherited_classes(c, v.classes, id, class_line, def, scope, mine);
    c.class_fixtures = outer_fixtures;
  }
}

// pytest collects every class and function of a test module's namespace, imported ones too,
// under the name they are bound to: `from .base import TestBase` collects TestBase's tests
// again here, with this module's marks, and `from .common import test_io` test_io. Only names
// that hold `Test` or are test function names are looked up (a TestCase may have any name, but
// resolving every imported name would load every module they come from).
void collect_imported(ModuleContext& c, TSNode root, const std::vector<ScopeMark>& marks,
                      std::vector<Test>& tests) {
  std::set<std::string> done;
  for (TSNode st : named_children(root)) {
    if (type(st) != "import_from_statement") continue;
    TSNode module = field(st, "module_name");
    for (TSNode ch : named_children(st)) {
      std::string name;
      if (type(ch) == "aliased_import")
        name = text(c, field(ch, "alias"));
      else if (type(ch) == "dotted_name" && !ts_node_eq(ch, module))
        name = text(c, ch);
      const bool class_name = name.find("Test") != std::string::npos;
      const bool function_name = c.names->is_test_function(name);
      if (!(class_name || function_name) || !done.insert(name).second) continue;
      // What the name is bound to last: a class of the module's own by that name replaces it.
      auto b = c.scope.find(name);
      if (b == c.scope.end() || b->second.kind != BindingKind::from_import) continue;
      if (auto view = class_name ? view_imported_class(c, b->second.qualified) : std::nullopt) {
        collect_inherited_classes(c, {InheritedClass{name, {}, std::move(*view)}},
                                  std::string(c.path), line_of(st), st, marks, tests);
      } else if (auto fn = function_name ? view_imported_function(c, b->second.qualified)
                                         : std::nullopt) {
        const std::string tid = std::string(c.path) + "::" + name;
        collect_inherited_test(c, *fn, tid, line_of(st), marks);
        for (const auto& k : c.function_setup)  // setup_function runs before it too
          c.out.push_back(marker_record(c, k, tid, MarkerScope::runtime));
        tests.push_back({tid, st});
      }
    }
  }
}

void handle_class(ModuleContext& c, TSNode def, const std::vector<TSNode>& decorators,
                  const std::string& prefix, const std::vector<ScopeMark>& inherited,
                  std::vector<Test>* tests, int depth) {
  std::string name = text(c, field(def, "name"));
  std::string id = prefix + "::" + name;
  TSNode body = field(def, "body");
  bool has_init = false;
  std::vector<ScopeMark> marks = inherited;
  for (TSNode d : decorators)
    for (auto& m : decorator_marks(c, d))
      marks.push_back({m, MarkerScope::klass, std::nullopt, std::nullopt});
  // The class's parametrize marks, in pytest's order: its pytestmark list, then its
  // decorators nearest first.
  std::vector<TSNode> class_params;
  bool fixture_params = false;  // a fixture of the class body has params=: ids not known
  for (TSNode s : named_children(body)) {
    if (type(s) == "function_definition" && text(c, field(s, "name")) == "__init__")
      has_init = true;
    if (type(s) == "decorated_definition")
      for (TSNode d : named_children(s))
        if (type(d) == "decorator" && ts_node_named_child_count(d) > 0 &&
            is_parametrized_fixture(c, ts_node_named_child(d, 0)))
          fixture_params = true;
    if (type(s) == "expression_statement") {
      TSNode a = ts_node_named_child(s, 0);
      if (is_pytestmark_assignment(c, a)) {
        for (auto& m : marks_of(c, field(a, "right")))
          marks.push_back({m, MarkerScope::klass, std::nullopt, std::nullopt});
        if (type(a) == "assignment") class_params.clear();
        for (TSNode p : parametrizes_of(c, field(a, "right"))) class_params.push_back(p);
      }
    }
  }
  for (auto d = decorators.rbegin(); d != decorators.rend(); ++d)
    if (is_parametrize(c, *d)) class_params.push_back(*d);
  if (fixture_params) class_params.push_back(TSNode{});
  // A module-level class is seen through the link step: its MRO over the tree's classes gives
  // what it inherits (tests, class marks, TestCase-ness, `__test__`, `__init__`).
  const int class_line = line_of(def);
  const size_t own_end = marks.size();
  std::optional<ClassView> view;
  if (prefix == c.path) view = view_class(c, name, class_line);
  if (view) {
    has_init = has_init || view->has_init;
    for (auto& im : view->marks) {
      im.call.line = class_line;
      marks.push_back({im.call, MarkerScope::klass, std::nullopt, im.via});
    }
  }
  // An ancestor's parametrize joins ids this does not read: its tests keep the function id.
  if (view && view->parametrized_ancestor) class_params.push_back(TSNode{});
  bool testcase = view ? view->testcase : is_testcase(c, field(def, "superclasses"), 0);
  bool collect = (c.names->is_test_class(name) && !has_init) || testcase;
  // `__test__ = False` keeps pytest out of a class; `True` lets it in whatever its name. The
  // class's own body decides, else the first ancestor that sets it.
  std::optional<bool> dunder = dunder_test(c, body);
  if (!dunder && view) dunder = view->dunder_test;
  if (dunder) collect = *dunder && (!has_init || testcase);
  // The runtime skips of the setup methods pytest runs for the class, its own and those an
  // ancestor's give, hold for each of its tests (not those of nested classes).
  std::vector<ScopeMark> setup;
  auto runs = [&](const std::string& n) { return runs_setup_method(n, testcase); };
  for (auto& [name, list] : setup_skips(c, body, runs, false))
    setup.insert(setup.end(), list.begin(), list.end());
  if (view)
    for (auto& im : view->setup_skips) {
      im.call.line = class_line;
      setup.push_back({im.call, MarkerScope::runtime, std::nullopt, im.via});
    }
  // The class's fixtures, then its ancestors', are seen before the enclosing scopes'.
  std::map<std::string, FixtureSummary> own_fixtures;  // a class the summary does not hold
  std::vector<ClassFixtures> fixture_levels;
  if (view) {
    fixture_levels = view->fixtures;
  } else if (c.self) {
    own_fixtures = class_fixtures(c, body);
    if (!own_fixtures.empty()) fixture_levels.push_back({&own_fixtures, c.self});
  }
  const std::vector<ClassFixtures> outer_fixtures = c.class_fixtures;
  c.class_fixtures.insert(c.class_fixtures.begin(), fixture_levels.begin(), fixture_levels.end());
  std::vector<Test> mine;
  const bool outer_testcase = c.in_testcase;
  c.in_testcase = testcase;
  const std::vector<TSNode> outer_params = c.scope_parametrize;
  c.scope_parametrize.insert(c.scope_parametrize.begin(), class_params.begin(), class_params.end());
  {
    ClassScope scope(c, body);
    walk_body(c, body, id, collect, marks, &mine, depth + 1);
  }
  c.scope_parametrize = outer_params;
  c.in_testcase = outer_testcase;
  if (view && collect) {
    // Inherited tests are collected under this class: `file::Class::test_x`, the mark's
    // `line` that of this class, `origin` where it is written, `via` the ancestor.
    for (auto& t : view->tests) {
      std::string tid = id + "::" + t.name;
      collect_inherited_test(c, t, tid, class_line, marks);
      mine.push_back({tid, def});
    }
    if (!testcase) collect_inherited_classes(c, view->classes, id, class_line, def, marks, mine);
  }
  c.class_fixtures = outer_fixtures;
  for (const auto& t : mine)
    if (t.id.find("::", id.size() + 2) == std::string::npos)
      for (const auto& p : setup) c.out.push_back(attach(c, p, t.id));
  // A class's parametrize applies to each of its tests; the inherited ones' ids are not
  // known (their own parametrize is not read), so the function id.
  for (TSNode d : class_params)
    for (const auto& t : mine)
      if (!t.expanded) collect_params(c, d, t.id);
  if (mine.empty()) {
    // The ancestors' marks are reported on the ancestors themselves.
    for (size_t i = inherited.size(); i < own_end; ++i) c.out.push_back(attach(c, marks[i], id));
  }
  if (tests) tests->insert(tests->end(), mine.begin(), mine.end());
}

// The function or class a statement defines (through its decorators), or a null node.
TSNode definition_of(TSNode s) {
  if (type(s) == "decorated_definition") return field(s, "definition");
  auto t = type(s);
  return t == "function_definition" || t == "class_definition" ? s : TSNode{};
}

// Names a later statement of the same body defines again: pytest sees only that last
// definition, so the marks on the earlier ones mute nothing.
std::vector<bool> shadowed_definitions(const ModuleContext& c, const std::vector<TSNode>& body) {
  std::vector<bool> shadowed(body.size(), false);
  std::unordered_set<std::string> later;
  for (size_t i = body.size(); i-- > 0;) {
    TSNode def = definition_of(body[i]);
    if (ts_node_is_null(def)) continue;
    shadowed[i] = !later.insert(text(c, field(def, "name"))).second;
  }
  return shadowed;
}

// The names a block defines (functions and classes, through their decorators).
std::set<std::string> defined_names(const ModuleContext& c, TSNode block) {
  std::set<std::string> out;
  for (TSNode s : named_children(block)) {
    TSNode def = definition_of(s);
    if (!ts_node_is_null(def)) out.insert(text(c, field(def, "name")));
  }
  return out;
}

// `taken`: names the `try` block of this `except` block defines. The `try` definition is the
// one pytest sees (the `except` one is its fallback), so these definitions are not effective.
void walk_body(ModuleContext& c, TSNode body, const std::string& prefix, bool collect_tests,
               const std::vector<ScopeMark>& inherited, std::vector<Test>* tests, int depth,
               const std::set<std::string>* taken) {
  if (ts_node_is_null(body) || depth > kMaxDepth) return;
  const std::vector<TSNode> stmts = named_children(body);
  std::vector<bool> shadowed = shadowed_definitions(c, stmts);
  if (taken) {
    for (size_t i = 0; i < stmts.size(); ++i) {
      TSNode def = definition_of(stmts[i]);
      if (!ts_node_is_null(def) && taken->count(text(c, field(def, "name")))) shadowed[i] = true;
    }
  }
  for (size_t i = 0; i < stmts.size(); ++i) {
    TSNode s = stmts[i];
    auto t = type(s);
    std::vector<TSNode> decorators;
    TSNode def = s;
    if (t == "decorated_definition") {
      for (TSNode d : named_children(s)) {
        if (type(d) == "decorator" && ts_node_named_child_count(d) > 0)
          decorators.push_back(ts_node_named_child(d, 0));
      }
      def = field(s, "definition");
      if (ts_node_is_null(def)) continue;
      t = type(def);
    }
    const size_t first_new = c.out.size();
    std::vector<Test>* collected = shadowed[i] ? nullptr : tests;
    if (t == "function_definition") {
      handle_function(c, def, decorators, prefix, collect_tests, inherited, collected);
    } else if (t == "class_definition") {
      handle_class(c, def, decorators, prefix, inherited, collected, depth + 1);
    } else if (is_block_stmt(t) && t != "block") {
      std::set<std::string> try_names;
      for (TSNode ch : named_children(s)) {
        auto ct = type(ch);
        if (ct == "block") {
          if (t == "try_statement") try_names = defined_names(c, ch);
          walk_body(c, ch, prefix, collect_tests, inherited, tests, depth + 1);
        } else if (is_block_stmt(ct)) {
          // else/elif/except/finally clauses hold their own block.
          const std::set<std::string>* taken = ct == "except_clause" ? &try_names : nullptr;
          for (TSNode blk : named_children(ch))
            if (type(blk) == "block")
              walk_body(c, blk, prefix, collect_tests, inherited, tests, depth + 1, taken);
        }
      }
    }
    if (shadowed[i])
      for (size_t k = first_new; k < c.out.size(); ++k) c.out[k].effective = false;
  }
}

// Module-level marks: pytestmark, and pytest.skip(..., allow_module_level=True) or
// importorskip run at import time, also inside if/try/with blocks (the `if` is the condition).
void collect_module_marks(const ModuleContext& c, TSNode body,
                          const std::optional<std::string>& cond, std::vector<ScopeMark>& out,
                          int depth) {
  if (depth > kMaxDepth) return;
  for (TSNode s : named_children(body)) {
    auto t = type(s);
    if (t == "if_statement" || t == "elif_clause") {
      for (TSNode ch : named_children(s)) {
        collect_module_marks(c, ch, branch_condition(c, s, ch, cond), out, depth + 1);
      }
      continue;
    }
    if (t == "try_statement") {
      for (TSNode ch : named_children(s))
        collect_module_marks(c, ch, clause_condition(c, s, ch, cond), out, depth + 1);
      continue;
    }
    if (is_block_stmt(t)) {
      collect_module_marks(c, s, cond, out, depth + 1);
      continue;
    }
    // `raise unittest.SkipTest(...)` at import skips the module.
    if (t == "raise_statement") {
      if (auto rc = runtime_call(c, s))
        out.push_back({*rc, MarkerScope::module, cond, std::nullopt});
      continue;
    }
    if (t != "expression_statement") continue;
    TSNode a = ts_node_named_child(s, 0);
    if (is_pytestmark_assignment(c, a)) {
      // Its value is evaluated at import: `pytestmark = [pytest.skip(..., allow_module_level=
      // True)]` skips the module before any mark is read.
      TSNode value = field(a, "right");
      std::vector<TSNode> items = items_of(value);
      if (items.empty() && !ts_node_is_null(value)) items.push_back(value);
      for (TSNode item : items) {
        if (auto rc = runtime_call(c, item)) {
          out.push_back({*rc, MarkerScope::module, cond, std::nullopt});
          continue;
        }
        for (auto& m : marks_of(c, item))
          out.push_back({m, MarkerScope::module, std::nullopt, std::nullopt});
      }
      continue;
    }
    // `pytest.skip(..., allow_module_level=True)`, or `np = pytest.importorskip("numpy")`.
    TSNode call = type(a) == "assignment" ? field(a, "right") : a;
    if (type(call) != "call") continue;
    if (auto rc = runtime_call(c, call))
      out.push_back({*rc, MarkerScope::module, cond, std::nullopt});
  }
}

// Extracts from a parse of the whole file, or, with `elided`, of the file without those
// bodies. Nullopt when the partial parse cannot be trusted to give the full parse's records
// (a syntax error in it, or a name bound to a runtime skip used in a body it left out).
std::optional<FileMarkers> extract_parsed(std::string_view rel_path, std::string_view source,
                                          const ScanConfig& config, const TestNames& names,
                                          ModuleIndex* index, const std::vector<uint32_t>& words_at,
                                          const std::vector<python::Elided>* elided) {
  FileMarkers result;
  TSParser* parser = python::thread_parser();
  if (!parser) return result;
  TsTreePtr tree = elided ? python::parse_python_without(parser, source, *elided)
                          : python::parse_python(parser, source);
  if (!tree) {
    if (elided) return std::nullopt;
    result.parse_error = true;
    return result;
  }
  TSNode root = ts_tree_root_node(tree.get());
  result.parse_error = ts_node_has_error(root);
  if (elided && result.parse_error) return std::nullopt;

  // The file's own summary serves the link step too: a factory or decorator function of the
  // same module resolves like an imported one.
  const ModuleSummary self = summarize(rel_path, source, root);
  std::set<std::string> deps;
  LinkSites sites;
  ModuleContext c{source, rel_path, &config, module_of_path(rel_path), {}, {}, {}, {}};
  c.names = &names;
  c.self = &self;
  c.index = index;
  c.deps = &deps;
  if (index) c.sites = &sites;
  scan_bindings(c, root, 0);
  c.runtime_names_at = runtime_names_at(c, words_at);
  if (elided && !outside(c.runtime_names_at, *elided)) return std::nullopt;
  // A module-level `__test__ = False`: pytest collects nothing from the module.
  const bool collect_module = dunder_test(c, root).value_or(true);

  std::vector<ScopeMark> module_marks;
  collect_module_marks(c, root, std::nullopt, module_marks, 0);
  const size_t at_import = module_marks.size();
  // The module's setup functions: pytest runs the first of setUpModule and setup_module it
  // defines before its tests, setup_function before each test function.
  auto module_setups = [](const std::string& n) {
    return n == "setUpModule" || n == "setup_module" || n == "setup_function";
  };
  auto setups = setup_skips(c, root, module_setups, true);
  const auto& per_module =
      setups.count("setUpModule") ? setups["setUpModule"] : setups["setup_module"];
  module_marks.insert(module_marks.end(), per_module.begin(), per_module.end());
  for (const auto& p : setups["setup_function"]) {
    MarkCall k = p.call;
    k.guard = p.condition;
    if (p.condition) altered(c, k);
    c.function_setup.push_back(std::move(k));
  }
  // The module's pytestmark parametrizes come last in every test's ids.
  for (TSNode st : named_children(root)) {
    TSNode a = type(st) == "expression_statement" ? ts_node_named_child(st, 0) : TSNode{};
    if (ts_node_is_null(a) || !is_pytestmark_assignment(c, a)) continue;
    if (type(a) == "assignment") c.scope_parametrize.clear();
    for (TSNode p : parametrizes_of(c, field(a, "right"))) c.scope_parametrize.push_back(p);
  }
  const std::vector<TSNode> module_params = c.scope_parametrize;
  std::vector<Test> tests;
  walk_body(c, root, std::string(rel_path), collect_module, module_marks, &tests, 0);
  if (collect_module) collect_imported(c, root, module_marks, tests);
  for (TSNode d : module_params)
    for (const auto& t : tests)
      if (!t.expanded) collect_params(c, d, t.id);
  // A module without tests runs no setup function.
  if (tests.empty())
    for (size_t i = 0; i < at_import; ++i)
      c.out.push_back(attach(c, module_marks[i], std::string(rel_path)));
  result.markers = std::move(c.out);
  result.dependencies.assign(deps.begin(), deps.end());
  if (index) result.link_sites = encode_sites(sites, result.markers, result.relinkable);
  return result;
}

FileMarkers extract(std::string_view rel_path, std::string_view source, const ScanConfig& config,
                    const TestNames& names, ModuleIndex* index) {
  const std::vector<uint32_t> words_at = python::word_positions(source, runtime_words(config));
  if (!config.full_parse) {
    auto elided = python::elided_bodies(source, words_at, python::Bodies::test_file,
                                        !config.markers.count("parametrize"));
    if (elided && !elided->empty())
      if (auto r = extract_parsed(rel_path, source, config, names, index, words_at, &*elided))
        return std::move(*r);
  }
  return *extract_parsed(rel_path, source, config, names, index, words_at, nullptr);
}

}  // namespace

FileMarkers extract_markers(std::string_view rel_path, std::string_view source,
                            const ScanConfig& config, const TestNames& names) {
  return extract(rel_path, source, config, names, nullptr);
}

FileMarkers extract_markers_linked(std::string_view rel_path, std::string_view source,
                                   const ScanConfig& config, const TestNames& names,
                                   ModuleIndex* index) {
  return extract(rel_path, source, config, names, index);
}

}  // namespace flakegrab
