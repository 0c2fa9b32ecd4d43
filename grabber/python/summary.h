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
  // One item of a tuple, -1 the value itself. A name bound by unpacking (`has_dask,
  // requires_dask = _importorskip("dask")`, xarray): the item of what the call returns that it
  // gets. A function's return (`return has, func`): the item it is of the tuple returned.
  int element = -1;
};

// How pytest names one value of a parameter set (IdMaker._idval, pytest 7): a literal's own
// text (`1`, `a`, `None`, `-1.5`), the argument name and the set's index (a list, dict, set or
// tuple display: `x0`), or not known from the source (a name, a call, an escaped string).
struct ValueId {
  enum Kind { unknown, literal, by_index } kind = unknown;
  std::string text;   // literal
  bool none = false;  // the literal `None` (in `ids=`: pytest's own id)
};

// One item of a parametrize's argvalues, as written; or, `list` set, a name whose list of
// items goes here (`[pytest.param(...)] + VALS`), resolved in the item's module at link time.
struct ParamItem {
  std::string list;
  bool known = true;  // false: an expression (a call, a comprehension) of unknown length
  // A comprehension of pytest.param(...): any number of sets, each with these marks.
  bool many = false;
  enum Shape { value, param, display } shape = value;
  ValueId whole;                  // value, display: the item as the one value of a set
  std::vector<ValueId> values;    // param: its positionals; display: its items
  bool has_id = false;            // pytest.param(id=...)
  std::optional<std::string> id;  // its literal value (nullopt with has_id: not known)
  std::vector<MarkExpr> marks;    // pytest.param(..., marks=...)
  TSNode marks_node{};            // the same, while the parse lives (the using module's own)
  // A comprehension's: the marks its sets carry over from a list it iterates (carried_marks).
  std::vector<MarkExpr> carried;

  static ParamItem unknown() {
    ParamItem i;
    i.known = false;
    return i;
  }
  static ParamItem named(std::string qualified) {
    ParamItem i;
    i.list = std::move(qualified);
    return i;
  }
};

// A runtime skip in a function body (a fixture, a setUp): its name as runtime_call gives it,
// config-free ("skip", "SkipTest", ...); whether it is configured is decided at link time.
struct RuntimeSkip {
  std::string name;
  std::vector<Arg> args;
  int line = 0;
  std::optional<std::string> guard;  // the `if`/`try` around it
};

struct FunctionSummary {
  std::vector<std::string> params;
  std::map<std::string, Arg> defaults;  // literal default values
  std::map<std::string, Arg> locals;    // `name = value` at the top of the body
  std::vector<MarkExpr> returns;        // `return X(...)` / `return X` (also both sides of `if`)
  std::vector<MarkExpr> applies;        // `X(...)(param0)`: marks applied to the argument
};

// A fixture of a module or class body (by the name tests request it under): the marks its
// `params=[pytest.param(..., marks=...)]` carry, what its body does to the tests that use it
// (runtime skips, marks added by `request.applymarker`), the fixtures it requests, whether it
// is autouse.
struct FixtureSummary {
  int line = 0;
  std::vector<std::string> requests;
  std::vector<MarkExpr> param_marks;
  std::vector<RuntimeSkip> skips;
  std::vector<MarkExpr> applied;  // guard: the `if`/`try` around the call
  bool autouse = false;
  bool parametrized = false;  // has `params=`: its ids join those of a test's parametrize
};

// A name a class body defines: a method (with its decorators) or anything else, which hides an
// ancestor's method of that name all the same.
struct MemberSummary {
  std::string name;
  int line = 0;  // of the `def`
  bool function = false;
  bool fixture = false;                // decorated with pytest.fixture
  std::vector<MarkExpr> decorators;    // every decorator, resolved in the class's module
  std::vector<std::string> requests;   // the fixtures a method requests (requested_fixtures)
  std::vector<ParamItem> param_items;  // the argvalues of its parametrize decorators, in order
  // An xunit setup method (is_setup_method): the runtime skips of its body, and whether it
  // calls the next class's (`super().setUp()`), whose skips then hold too.
  std::vector<RuntimeSkip> skips;
  bool calls_super = false;
};

struct ClassSummary {
  std::string name;
  std::vector<std::string> bases;  // as resolved in the class's module, in written order
  std::vector<MarkExpr> decorators;
  std::vector<MarkExpr> pytestmark;    // the body's `pytestmark = ...` / `+= ...`
  std::vector<MemberSummary> members;  // in definition order
  bool has_init = false;
  std::optional<bool> dunder_test;  // a literal `__test__ = True/False` in the body
  // The body's fixtures: seen by the tests of the class, of its subclasses and of its nested
  // classes, before the module's (pandas' `TestReaders.cd_and_set_engine`, autouse).
  std::map<std::string, FixtureSummary> fixtures;
  // The classes its body defines, in order (each also a member): a subclass collects them as
  // its own attributes (`TestSub::TestNested::test_x`). Read 8 levels deep.
  std::vector<ClassSummary> nested;
};

// A field added to Symbol or to a type it holds must be added to summary_records.cpp (its
// cached form and fingerprint).
struct Symbol {
  enum Kind { alias, mark_list, function, klass, other } kind = other;
  std::string qualified;        // alias: the dotted name it stands for
  std::vector<MarkExpr> marks;  // marks: `x = pytest.mark.skipif(...)`, lists and tuples of them
  // A list, tuple or `+` of them (and `+=`, `.append`, `.extend` at module level), as
  // parametrize argvalues: its items.
  std::vector<ParamItem> params;
  FunctionSummary fn;
  // function: what a test module that imports it collects of it, as of a method (pytest
  // collects an imported test function again there).
  MemberSummary def;
  ClassSummary cls;
  int line = 0;  // of the statement (a class or function: of its `class`/`def` line)
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
// What the name `name` of `module` stands for, as a fingerprint: equal while every field of its
// symbol is (summary_records.cpp); a name the module does not bind gives "absent:..." of its
// star imports.
std::string symbol_fingerprint(const ModuleSummary& module, const std::string& name);
// A summary as the scan cache keeps it, per blob; nullopt for bytes of another format.
std::string encode_summary(const ModuleSummary& s);
std::optional<ModuleSummary> decode_summary(std::string_view bytes);
// A name chain or call as a candidate mark, resolved in `c`'s module; nullopt when it is not one.
std::optional<MarkExpr> mark_expr(const ModuleContext& c, TSNode n);

// Parametrize argvalues (params.cpp). The items an argvalues expression spells: a list or
// tuple display, a `+` of them, names of lists (kept as `list` items for the link step), a
// comprehension (one `many` item).
std::vector<ParamItem> param_items(const ModuleContext& c, TSNode expr, int depth = 0);
// The mark expressions a comprehension's parameter sets carry over from the sets of a list it
// iterates (carried_marks.cpp): `[p for p in L]`, `[pytest.param(..., marks=p.marks) for p in
// L]`, or a function of the module called with the loop variable that makes such a param of
// it; L a display or a module-level list of this module.
std::vector<TSNode> carried_marks(const ModuleContext& c, TSNode comprehension);
// The value the last top-level `name = value` of the module `root` assigns, or a null node.
TSNode module_binding(const ModuleContext& c, TSNode root, const std::string& name);
// A call of pytest.param.
bool is_param_call(const ModuleContext& c, TSNode n);
// One item of a list display.
ParamItem param_item(const ModuleContext& c, TSNode n);
// One parameter set of a parametrize, linked: its id when pytest's is known from the source,
// and its marks.
struct ParamSet {
  std::optional<std::string> id;
  std::vector<MarkCall> marks;
};
struct ParamSets {
  std::vector<ParamSet> sets;
  bool exact = true;  // every set is known: their number, and so each one's index
};
// The sets of `@parametrize(argnames, argvalues, ids=...)` (its argument list), pytest's ids
// made unique as pytest 7 does (`a0`, `a1` for two `a`); null `args`: not a parametrize.
ParamSets parametrize_sets(const ModuleContext& c, TSNode args);

// Fixtures (fixtures.cpp): a module's fixtures into its summary; the fixtures a test function
// requests (its arguments, @pytest.mark.usefixtures); the marks the parameters of the fixtures
// it ends up using carry (c.self and the conftest.py files above c.path, autouse ones too).
void summarize_fixtures(const ModuleContext& c, TSNode root, ModuleSummary& s);
// The fixtures of a class body (ClassSummary::fixtures).
std::map<std::string, FixtureSummary> class_fixtures(const ModuleContext& c, TSNode body);
std::vector<std::string> requested_fixtures(const ModuleContext& c, TSNode def,
                                            const std::vector<TSNode>& decorators);
// A mark a test gets from a fixture: scope `param` for a param's marks, `runtime` for what the
// fixture's body does.
struct FixtureMark {
  MarkCall call;
  MarkerScope scope;
};
// `parametrized`, when given, is set when one of those fixtures has `params=`.
std::vector<FixtureMark> fixture_marks(const ModuleContext& c,
                                       const std::vector<std::string>& requested,
                                       bool* parametrized = nullptr);
// What a function body does at run time, for its summary (walk_runtime without a config).
void summarize_runtime(const ModuleContext& c, TSNode body, std::vector<RuntimeSkip>* skips,
                       std::vector<MarkExpr>* applied);
// A summarized runtime skip of module `module` as a marker call, when its marker is configured.
std::optional<MarkCall> link_runtime(const ModuleContext& c, const RuntimeSkip& s,
                                     const ModuleSummary& module);

// The link step's view of classes (link.cpp).
struct LinkedClass {
  const ModuleSummary* module = nullptr;
  const ClassSummary* cls = nullptr;
};
// The in-tree class a dotted name of module `from_path` stands for, through imports, aliases,
// re-exports and star imports; null members when it is not a class of the tree.
LinkedClass link_class(const ModuleContext& c, const std::string& qualified,
                       const std::string& from_path);
// The in-tree module-level function a dotted name of module `from_path` stands for; null
// members when it is not one.
struct LinkedFunction {
  const ModuleSummary* module = nullptr;
  const MemberSummary* def = nullptr;
};
LinkedFunction link_function(const ModuleContext& c, const std::string& qualified,
                             const std::string& from_path);
// The items of the in-tree list a dotted name of module `from_path` stands for (`VALS`,
// `cases.VALS`), and the module that holds them; null members when it is not one.
struct LinkedParams {
  const ModuleSummary* module = nullptr;
  const std::vector<ParamItem>* items = nullptr;
};
LinkedParams link_params(const ModuleContext& c, const std::string& qualified,
                         const std::string& from_path);
// The marks an expression summarized in module `module` stands for; `origin` is set to where
// it is written unless a deeper definition (an alias, a factory) is where the mark is.
std::vector<MarkCall> link_expr(const ModuleContext& c, const MarkExpr& e,
                                const ModuleSummary& module);
// The same, of an expression written in the module at `path`.
std::vector<MarkCall> link_expr(const ModuleContext& c, const MarkExpr& e, const std::string& path);

}  // namespace flakegrab::extractor
