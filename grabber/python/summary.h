#pragma once
// A module's summary: what its module-level names stand for, read from its source alone (no
// scan config), so that the link step can follow a test module's names into the helper
// modules of the same tree. ruff's semantic model, reduced to what marks need.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "grabber/python/internals.h"

namespace flakegrab::extractor {

// A call or name chain that may be a mark: which marker it is, if any, is decided at link time
// (the marker names come from the scan config).
struct MarkExpr {
  std::string callee;  // resolved in its own module: "pytest.mark.skipif", "pkg.util.skip_if"
  bool called = false;
  std::vector<Arg> args;
  int line = 0;
  // A function returns or applies it only when this holds: the `if` around it, `not (...)`
  // of an early return before it (CPython's `requires_resource`, `impl_detail`).
  std::optional<std::string> guard;
};

struct FunctionSummary {
  std::vector<std::string> params;
  std::map<std::string, Arg> defaults;  // literal default values
  std::map<std::string, Arg> locals;    // `name = value` at the top of the body
  std::vector<MarkExpr> returns;        // `return X(...)` / `return X` (also both sides of `if`)
  std::vector<MarkExpr> applies;        // `X(...)(param0)`: marks applied to the argument
};

// A name a class body defines: a method (with its decorators) or anything else, which hides an
// ancestor's method of that name all the same.
struct MemberSummary {
  std::string name;
  int line = 0;  // of the `def`
  bool function = false;
  bool fixture = false;               // decorated with pytest.fixture
  std::vector<MarkExpr> decorators;   // every decorator, resolved in the class's module
  std::vector<std::string> requests;  // the fixtures a method requests (requested_fixtures)
};

struct ClassSummary {
  std::string name;
  std::vector<std::string> bases;  // as resolved in the class's module, in written order
  std::vector<MarkExpr> decorators;
  std::vector<MarkExpr> pytestmark;    // the body's `pytestmark = ...` / `+= ...`
  std::vector<MemberSummary> members;  // in definition order
  bool has_init = false;
  std::optional<bool> dunder_test;  // a literal `__test__ = True/False` in the body
};

struct Symbol {
  enum Kind { alias, mark_list, function, klass, other } kind = other;
  std::string qualified;        // alias: the dotted name it stands for
  std::vector<MarkExpr> marks;  // marks: `x = pytest.mark.skipif(...)`, lists and tuples of them
  FunctionSummary fn;
  ClassSummary cls;
  int line = 0;  // of the statement (a class or function: of its `class`/`def` line)
};

// A fixture of the module (by the name tests request it under): the marks its
// `params=[pytest.param(..., marks=...)]` carry, the fixtures it requests, whether it is autouse.
struct FixtureSummary {
  int line = 0;
  std::vector<std::string> requests;
  std::vector<MarkExpr> param_marks;
  bool autouse = false;
};

struct ModuleSummary {
  std::string path;    // relative to the scan root
  std::string module;  // dotted name
  std::map<std::string, Symbol> symbols;
  std::vector<std::string> star_imports;           // `from m import *`, absolute
  std::map<std::string, FixtureSummary> fixtures;  // module-level fixtures
};

// Summarizes a parsed module (summarize.cpp).
ModuleSummary summarize(std::string_view path, std::string_view source, TSNode root);
// A name chain or call as a candidate mark, resolved in `c`'s module; nullopt when it is not one.
std::optional<MarkExpr> mark_expr(const ModuleContext& c, TSNode n);

// Fixtures (fixtures.cpp): a module's fixtures into its summary; the fixtures a test function
// requests (its arguments, @pytest.mark.usefixtures); the marks the parameters of the fixtures
// it ends up using carry (c.self and the conftest.py files above c.path, autouse ones too).
void summarize_fixtures(const ModuleContext& c, TSNode root, ModuleSummary& s);
std::vector<std::string> requested_fixtures(const ModuleContext& c, TSNode def,
                                            const std::vector<TSNode>& decorators);
std::vector<MarkCall> fixture_marks(const ModuleContext& c,
                                    const std::vector<std::string>& requested);

// The link step's view of classes (link.cpp).
struct LinkedClass {
  const ModuleSummary* module = nullptr;
  const ClassSummary* cls = nullptr;
};
// The in-tree class a dotted name of module `from_path` stands for, through imports, aliases,
// re-exports and star imports; null members when it is not a class of the tree.
LinkedClass link_class(const ModuleContext& c, const std::string& qualified,
                       const std::string& from_path);
// The marks an expression summarized in module `module` stands for; `origin` is set to where
// it is written unless a deeper definition (an alias, a factory) is where the mark is.
std::vector<MarkCall> link_expr(const ModuleContext& c, const MarkExpr& e,
                                const ModuleSummary& module);

}  // namespace flakegrab::extractor
