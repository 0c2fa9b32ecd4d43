// Inheritance for the link step: a class's MRO is computed by C3 linearisation over the classes
// of the tree (found through imports like any other name), with bases from outside the tree as
// leaves, so tests and marks come from ancestors in the order pytest sees them.
#include "grabber/python/inherit.h"

#include <map>
#include <set>

#include "grabber/python/link_sites.h"
#include "grabber/python/summary.h"

namespace flakegrab::extractor {
namespace {

constexpr int kMaxMroDepth = 32;

struct Node {
  std::string key;  // "file::Class" in the tree, else the dotted name as resolved
  LinkedClass k;    // k.cls null: outside the tree
};
using Lin = std::vector<Node>;

bool contains(const Lin& l, size_t from, const std::string& key) {
  for (size_t i = from; i < l.size(); ++i)
    if (l[i].key == key) return true;
  return false;
}

// C3 merge of the bases' linearisations and the bases themselves; when the hierarchy has no
// consistent order (Python would refuse the class), the bases' lists in order, first seen kept.
void merge(std::vector<Lin> seqs, Lin& out) {
  std::vector<size_t> head(seqs.size(), 0);
  for (;;) {
    bool left = false, took = false;
    for (size_t i = 0; i < seqs.size() && !took; ++i) {
      if (head[i] >= seqs[i].size()) continue;
      left = true;
      const Node& cand = seqs[i][head[i]];
      bool in_tail = false;
      for (size_t j = 0; j < seqs.size() && !in_tail; ++j)
        in_tail = contains(seqs[j], head[j] + 1, cand.key);
      if (in_tail) continue;
      out.push_back(cand);
      for (size_t j = 0; j < seqs.size(); ++j)
        if (head[j] < seqs[j].size() && seqs[j][head[j]].key == cand.key) ++head[j];
      took = true;
    }
    if (!left) return;
    if (!took) break;
  }
  for (size_t i = 0; i < seqs.size(); ++i)
    for (size_t h = head[i]; h < seqs[i].size(); ++h)
      if (!contains(out, 0, seqs[i][h].key)) out.push_back(seqs[i][h]);
}

struct Linearizer {
  const ModuleContext& c;
  std::map<std::string, Lin> memo;
  std::set<std::string> active;

  Lin of(const Node& n, int depth) {
    if (!n.k.cls) return {n};
    if (auto m = memo.find(n.key); m != memo.end()) return m->second;
    if (depth > kMaxMroDepth || active.count(n.key)) return {n};  // a cycle of names
    active.insert(n.key);
    std::vector<Lin> seqs;
    Lin direct;
    for (const auto& base : n.k.cls->bases) {
      LinkedClass b = link_class(c, base, n.k.module->path);
      Node bn{base, {}};
      if (b.cls) bn = {b.module->path + "::" + b.cls->name, b};
      if (bn.key == n.key) bn = {base, {}};
      seqs.push_back(of(bn, depth + 1));
      direct.push_back(bn);
    }
    seqs.push_back(direct);
    Lin out{n};
    merge(std::move(seqs), out);
    active.erase(n.key);
    memo[n.key] = out;
    return out;
  }
};

// The marks of parameter sets summarized in `module`, lists named there followed to theirs.
void param_marks(const ModuleContext& c, const std::vector<ParamItem>& items,
                 const ModuleSummary& module, std::vector<MarkCall>& out, int depth) {
  for (const auto& i : items) {
    if (i.list.empty()) {
      for (const auto* exprs : {&i.marks, &i.carried})
        for (const auto& e : *exprs)
          for (auto& k : ask_expr(c, e, module.path)) out.push_back(std::move(k));
    } else if (depth < 12) {  // lists named in lists: as deep as params.cpp follows them
      LinkedParams l = link_params(c, i.list, module.path);
      if (l.items) param_marks(c, *l.items, *l.module, out, depth + 1);
    }
  }
}

bool names_testcase(const std::string& dotted) {
  std::string last = dotted.substr(dotted.rfind('.') + 1);
  return last.ends_with("TestCase");
}

// The view of the class at `node`. `whole`: a class known only from its summary (a nested class
// an ancestor defines), whose own tests and class marks are in the view too.
ClassView view_of(const ModuleContext& c, const Node& node, bool whole, int depth) {
  Linearizer lin{c, {}, {}};
  const Lin mro = lin.of(node, 0);
  ClassView v;
  for (const auto& n : mro) {
    if (!n.k.cls) {
      v.testcase = v.testcase || names_testcase(n.key);
      continue;
    }
    v.has_init = v.has_init || n.k.cls->has_init;
    if (!n.k.cls->fixtures.empty()) v.fixtures.push_back({&n.k.cls->fixtures, n.k.module});
    if (!v.dunder_test) v.dunder_test = n.k.cls->dunder_test;
  }
  const size_t first = whole ? 0 : 1;  // what the parse of the class does not give
  std::set<std::string> seen;
  for (size_t i = 0; i < mro.size(); ++i) {
    const Node& n = mro[i];
    if (!n.k.cls) continue;
    if (i >= first && depth < 8)
      for (size_t j = 0; j < n.k.cls->nested.size(); ++j) {
        const ClassSummary& nested = n.k.cls->nested[j];
        bool redefined = false;  // a later class of the body by that name is the one it has
        for (size_t l = j + 1; l < n.k.cls->nested.size(); ++l)
          redefined = redefined || n.k.cls->nested[l].name == nested.name;
        if (redefined || seen.count(nested.name)) continue;
        Node at{n.key + "::" + nested.name, {n.k.module, &nested}};
        v.classes.push_back({nested.name, n.key, view_of(c, at, true, depth + 1)});
      }
    for (const auto& m : n.k.cls->members) {
      if (!seen.insert(m.name).second || i < first || !m.function || m.fixture) continue;
      bool test = v.testcase ? m.name.starts_with("test") : c.names->is_test_function(m.name);
      if (!test) continue;
      InheritedTest t{m.name, n.key, {}, m.requests, {}};
      for (const auto& d : m.decorators)
        for (auto& k : ask_expr(c, d, n.k.module->path)) t.marks.push_back(std::move(k));
      param_marks(c, m.param_items, *n.k.module, t.param_marks, 0);
      v.tests.push_back(std::move(t));
    }
    if (i < first) continue;
    for (const auto* list : {&n.k.cls->decorators, &n.k.cls->pytestmark})
      for (const auto& e : *list) {
        if (e.callee == "pytest.mark.parametrize") v.parametrized_ancestor = true;
        for (auto& k : ask_expr(c, e, n.k.module->path)) v.marks.push_back({std::move(k), n.key});
      }
  }
  for (const char* name : {"setUp", "setUpClass", "setup_method", "setup_class"}) {
    if (!runs_setup_method(name, v.testcase)) continue;
    for (size_t i = 0; i < mro.size(); ++i) {
      const Node& n = mro[i];
      if (!n.k.cls) continue;
      const MemberSummary* def = nullptr;  // a body's last definition is the one Python keeps
      for (const auto& m : n.k.cls->members)
        if (m.name == name) def = &m;
      if (!def) continue;
      if (i >= first)
        for (const auto& s : def->skips)
          if (auto k = link_runtime(c, s, *n.k.module)) v.setup_skips.push_back({*k, n.key});
      if (!def->calls_super) break;
    }
  }
  return v;
}

}  // namespace

std::optional<ClassView> view_class(const ModuleContext& c, const std::string& name, int line) {
  if (!c.self) return std::nullopt;
  auto it = c.self->symbols.find(name);
  if (it == c.self->symbols.end() || it->second.kind != Symbol::klass || it->second.line != line)
    return std::nullopt;
  return view_of(c, {c.self->path + "::" + name, {c.self, &it->second.cls}}, false, 0);
}

std::optional<ClassView> view_imported_class(const ModuleContext& c, const std::string& qualified) {
  LinkedClass k = link_class(c, qualified, std::string(c.path));
  if (!k.cls) return std::nullopt;
  return view_of(c, {k.module->path + "::" + k.cls->name, k}, true, 0);
}

std::optional<InheritedTest> view_imported_function(const ModuleContext& c,
                                                    const std::string& qualified) {
  LinkedFunction f = link_function(c, qualified, std::string(c.path));
  if (!f.def || f.def->fixture) return std::nullopt;  // pytest collects no fixture as a test
  InheritedTest t{f.def->name, {}, {}, f.def->requests, {}};
  for (const auto& d : f.def->decorators)
    for (auto& k : ask_expr(c, d, f.module->path)) t.marks.push_back(std::move(k));
  param_marks(c, f.def->param_items, *f.module, t.param_marks, 0);
  return t;
}

}  // namespace flakegrab::extractor
