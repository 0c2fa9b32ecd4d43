// Fixture parameters that carry marks: `@pytest.fixture(params=[pytest.param("pyarrow",
// marks=td.skip_if_no("pyarrow"))])` marks every test that requests the fixture, directly or
// through other fixtures, from its module or from any conftest.py between it and the root.
#include <set>

#include "grabber/python/link_sites.h"
#include "grabber/python/module_index.h"
#include "grabber/python/summary.h"

namespace flakegrab::extractor {
namespace {

std::optional<std::string> keyword(const ModuleContext& c, TSNode arglist, std::string_view name,
                                   TSNode* value = nullptr) {
  TSNode a = keyword_argument(c, arglist, name);
  if (ts_node_is_null(a)) return std::nullopt;
  if (value) *value = field(a, "value");
  return text(c, field(a, "value"));
}

void add_param_marks(const ModuleContext& c, TSNode root, TSNode params, FixtureSummary& f) {
  // `params=NAME` where NAME is a list assigned at module level of this file.
  if (type(params) == "identifier") params = module_binding(c, root, text(c, params));
  std::vector<TSNode> items = items_of(params);
  // `(pytest.param(e, marks=...) for e in ENGINES)`: every generated param carries the marks,
  // and those it carries over from the params it iterates.
  auto t = type(params);
  if (t == "generator_expression" || t == "list_comprehension" || t == "set_comprehension") {
    items.push_back(field(params, "body"));
    for (TSNode e : carried_marks(c, params))
      if (auto m = mark_expr(c, e)) f.param_marks.push_back(std::move(*m));
  }
  for (TSNode p : items) {
    if (!is_param_call(c, p)) continue;
    TSNode marks{};
    if (!keyword(c, field(p, "arguments"), "marks", &marks) || ts_node_is_null(marks)) continue;
    for (TSNode e : items_or_self(marks))
      if (auto m = mark_expr(c, e)) f.param_marks.push_back(std::move(*m));
  }
}

// The fixtures a body defines (and its if/try/with blocks), by the name tests request them
// under. A method's first parameter is its instance, no fixture.
void find_fixtures(const ModuleContext& c, TSNode root, TSNode body, const ModuleSummary* module,
                   std::map<std::string, FixtureSummary>& out, int depth) {
  if (depth > kMaxDepth) return;
  for (TSNode st : named_children(body)) {
    auto t = type(st);
    if (is_block_stmt(t)) {
      find_fixtures(c, root, st, module, out, depth + 1);
      continue;
    }
    if (t != "decorated_definition") continue;
    TSNode def = field(st, "definition");
    if (type(def) != "function_definition") continue;
    for (TSNode d : named_children(st)) {
      if (type(d) != "decorator" || ts_node_named_child_count(d) == 0) continue;
      TSNode e = ts_node_named_child(d, 0);
      auto r = resolve(c, e);
      if (!r || r->qualified != "pytest.fixture") continue;
      std::string fn = text(c, field(def, "name"));
      FixtureSummary f;
      f.line = line_of(def);
      if (module) {
        auto sym = module->symbols.find(fn);
        if (sym != module->symbols.end()) f.requests = sym->second.fn.params;
      } else {
        f.requests = requested_fixtures(c, def, {});
        if (!f.requests.empty()) f.requests.erase(f.requests.begin());
      }
      summarize_runtime(c, field(def, "body"), &f.skips, &f.applied);
      std::string name = fn;
      if (type(e) == "call") {
        TSNode args = field(e, "arguments");
        TSNode params{}, named{};
        if (keyword(c, args, "params", &params)) {
          f.parametrized = true;
          add_param_marks(c, root, params, f);
        }
        f.autouse = keyword(c, args, "autouse") == "True";
        if (keyword(c, args, "name", &named))
          if (auto v = string_value(c, named)) name = *v;
      }
      out[name] = std::move(f);
    }
  }
}

}  // namespace

void summarize_fixtures(const ModuleContext& c, TSNode root, ModuleSummary& s) {
  find_fixtures(c, root, root, &s, s.fixtures, 0);
}

std::map<std::string, FixtureSummary> class_fixtures(const ModuleContext& c, TSNode body) {
  std::map<std::string, FixtureSummary> out;
  if (!ts_node_is_null(body)) find_fixtures(c, ts_tree_root_node(body.tree), body, nullptr, out, 0);
  return out;
}

std::vector<std::string> requested_fixtures(const ModuleContext& c, TSNode def,
                                            const std::vector<TSNode>& decorators) {
  std::vector<std::string> out;
  TSNode params = field(def, "parameters");
  for (TSNode p : named_children(params)) {
    if (type(p) == "identifier") out.push_back(text(c, p));
    if (type(p) == "default_parameter" || type(p) == "typed_parameter" ||
        type(p) == "typed_default_parameter") {
      TSNode n = type(p) == "typed_parameter" ? ts_node_named_child(p, 0) : field(p, "name");
      if (type(n) == "identifier") out.push_back(text(c, n));
    }
  }
  std::set<std::string> direct;  // parametrized arguments: the fixture of that name is not used
  for (TSNode d : decorators) {
    auto r = resolve(c, d);
    if (!r || type(d) != "call") continue;
    TSNode args = field(d, "arguments");
    if (r->qualified == "pytest.mark.usefixtures") {
      for (TSNode a : named_children(args))
        if (auto v = string_value(c, a)) out.push_back(*v);
    } else if (r->qualified == "pytest.mark.parametrize" && !keyword(c, args, "indirect")) {
      TSNode names{};
      if (!keyword(c, args, "argnames", &names) && ts_node_named_child_count(args) > 0)
        names = ts_node_named_child(args, 0);
      std::vector<TSNode> parts = items_of(names);
      if (parts.empty()) parts.push_back(names);
      for (TSNode n : parts) {
        auto v = string_value(c, n);
        if (!v) continue;
        std::string one;
        for (char ch : *v + ",") {
          if (ch == ',') {
            if (!one.empty()) direct.insert(one);
            one.clear();
          } else if (ch != ' ') {
            one += ch;
          }
        }
      }
    }
  }
  std::erase_if(out, [&](const std::string& n) { return direct.count(n) > 0; });
  return out;
}

std::vector<FixtureMark> fixture_marks(const ModuleContext& c,
                                       const std::vector<std::string>& requested,
                                       bool* parametrized) {
  // Where pytest looks a name up for a test item: its module, then conftest.py from the
  // module's directory up to the root. A name resolves from the test's view wherever it is
  // requested; a fixture requesting its own name gets the next definition outwards.
  std::vector<ClassFixtures> levels = c.class_fixtures;
  if (c.self) levels.push_back({&c.self->fixtures, c.self});
  if (c.index) {
    size_t cut = c.path.rfind('/');
    std::string dir(cut == std::string_view::npos ? "" : c.path.substr(0, cut));
    for (const ModuleIndex::Module* m : c.index->conftests_from(dir)) {
      if (m->summary->path == c.path) continue;  // a conftest.py's own fixtures are c.self
      levels.push_back({&m->summary->fixtures, m->summary.get()});
      record_dep(c, m->summary->path);
    }
  }
  std::vector<std::pair<std::string, size_t>> todo;  // name, first level to look at
  for (const auto& n : requested) todo.emplace_back(n, 0);
  for (size_t l = 0; l < levels.size(); ++l)
    if (levels[l].fixtures && levels[l].module)
      for (const auto& [name, f] : *levels[l].fixtures)
        if (f.autouse) todo.emplace_back(name, l);
  std::set<std::pair<std::string, size_t>> seen;
  std::vector<FixtureMark> out;
  while (!todo.empty()) {
    auto [name, from] = todo.back();
    todo.pop_back();
    for (size_t l = from; l < levels.size(); ++l) {
      const auto* level = levels[l].fixtures;
      if (!level || !levels[l].module) continue;
      auto it = level->find(name);
      if (it == level->end()) continue;
      if (!seen.insert({name, l}).second) break;
      const FixtureSummary& f = it->second;
      if (parametrized && f.parametrized) *parametrized = true;
      for (const auto& e : f.param_marks)
        for (auto& k : ask_expr(c, e, levels[l].module->path))
          out.push_back({std::move(k), MarkerScope::param});
      for (const auto& s : f.skips)
        if (auto k = link_runtime(c, s, *levels[l].module))
          out.push_back({std::move(*k), MarkerScope::runtime});
      for (const auto& e : f.applied)
        for (auto& k : ask_expr(c, e, levels[l].module->path)) {
          if (!acts_when_added(k)) continue;
          if (e.guard) {
            k.guard = k.guard ? conjoin(e.guard, *k.guard) : *e.guard;
            altered(c, k);
          }
          out.push_back({std::move(k), MarkerScope::runtime});
        }
      for (const auto& r : f.requests) todo.emplace_back(r, r == name ? l + 1 : 0);
      break;
    }
  }
  return out;
}

}  // namespace flakegrab::extractor
