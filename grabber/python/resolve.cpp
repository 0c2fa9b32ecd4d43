// One name resolver for every check: an expression's dotted name after the module's imports and
// aliases, so `pt.mark.xfail`, `M.xfail` and `xfail` (imported) all read "pytest.mark.xfail".
#include "grabber/python/internals.h"
#include "grabber/python/module_index.h"

namespace flakegrab::extractor {

namespace {

// Whether `df.x` can mean something else than no mark: `df` is a name read by its spelling
// (pytest, unittest, flaky*, self: marker_name, runtime_call), or it (or, from a package's
// __init__, `pkg.df`) is a module of the tree. When not, a pending `df` need not be settled to
// resolve `df.x`: the link step finds nothing under `mod.df.x` (an attribute of a mark is no mark)
// nor under `df.x` (no module df), so either way `df.x` stands for no mark.
bool may_name_more(const ModuleContext& c, const std::string& first) {
  if (first == "pytest" || first == "unittest" || first == "self" || first.starts_with("flaky"))
    return true;
  if (!c.index) return false;
  // Only a package's __init__ has submodules: `test_a.td` is never a module of test_a.py.
  return c.index->find_path(first, c.path) ||
         (c.path.ends_with("__init__.py") && c.index->find_path(c.module + "." + first, c.path));
}

}  // namespace

std::optional<Resolved> resolve(const ModuleContext& c, TSNode expr) {
  if (type(expr) == "call") expr = field(expr, "function");
  auto v = chain(c, expr);
  if (v.empty()) return std::nullopt;
  Resolved r;
  r.written = v.size();
  if (!c.pending.empty() && c.pending.count(v[0]) && (v.size() == 1 || may_name_more(c, v[0])))
    settle(c, v[0]);
  auto it = c.scope.find(v[0]);
  if (it != c.scope.end()) {
    r.bound = true;
    r.qualified = it->second.qualified;
  } else {
    r.qualified = v[0];
  }
  for (size_t i = 1; i < v.size(); ++i) r.qualified += "." + v[i];
  return r;
}

std::string module_of_path(std::string_view path) {
  std::string p(path);
  if (p.ends_with(".py")) p.resize(p.size() - 3);
  if (p == "__init__") return "";
  if (p.ends_with("/__init__")) p.resize(p.size() - 9);
  for (char& ch : p)
    if (ch == '/') ch = '.';
  return p;
}

std::string absolute_module(const std::string& module, bool package, std::string_view written) {
  size_t dots = 0;
  while (dots < written.size() && written[dots] == '.') ++dots;
  if (dots == 0) return std::string(written);
  // A module's `.` is its package; a package's `.` is itself.
  std::string base = module;
  for (size_t i = package ? 1 : 0; i < dots; ++i) {
    size_t cut = base.rfind('.');
    base = cut == std::string::npos ? "" : base.substr(0, cut);
  }
  std::string_view rest = written.substr(dots);
  if (rest.empty()) return base;
  return base.empty() ? std::string(rest) : base + "." + std::string(rest);
}

}  // namespace flakegrab::extractor
