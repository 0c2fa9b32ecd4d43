#pragma once
// Internals of the marker extractor, shared by its files: the parse context, tree-sitter node
// helpers, marker calls and import bindings. Not part of the grabber's public interface.
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <tree_sitter/api.h>

#include "grabber/grabber.h"

namespace flakegrab {
class ModuleIndex;
}

namespace flakegrab::extractor {

struct ModuleSummary;
struct FixtureSummary;
struct LinkSites;

// The fixtures a class body defines, with the module it is written in.
struct ClassFixtures {
  const std::map<std::string, FixtureSummary>* fixtures = nullptr;
  const ModuleSummary* module = nullptr;
};

// The fuzzer feeds deep nesting; past this depth we stop looking rather than overflow the stack.
constexpr int kMaxDepth = 256;

// One argument of a marker call, kept as text so that a mark written in another module (whose
// parse tree is gone) is handled like one written here.
struct Arg {
  std::string key;                 // keyword, or "0", "1"... for positionals
  std::string text;                // source text
  std::optional<std::string> str;  // the value of a string literal (string_value)
  friend bool operator==(const Arg&, const Arg&) = default;
};

struct MarkCall {
  std::string name;       // resolved marker name
  bool is_mark = false;   // pytest.mark.* (first positional of xfail is a condition)
  std::vector<Arg> args;  // alias args first, then the call's
  int line = 0;
  // Set when the mark is written elsewhere than on the test (an alias, factory, decorator
  // function or ancestor class): "path.py:LINE" of the mark expression.
  std::optional<std::string> origin;
  std::optional<std::string> factory;  // the factory called at the use site
  std::vector<std::pair<std::string, std::string>> factory_args;  // its call-site args
  // A decorator nothing resolves whose name says mute (`@skip_if_no_gpu`, `@retry`): its kind
  // comes from the name, not the config, and its positionals are not read as a reason.
  bool resolved = true;
  std::optional<MarkerKind> kind;
  // The condition under which a helper function gives the mark (MarkExpr::guard), its
  // parameters filled in.
  std::optional<std::string> guard;
  LinkTag link;  // the link step's answer it is, when it is one (link_sites.h)
  friend bool operator==(const MarkCall&, const MarkCall&) = default;
};

// What a module-level name is bound to (ruff's semantic model, reduced to what marks need).
enum class BindingKind { import, from_import, assignment, klass, function };
struct Binding {
  BindingKind kind;
  std::string qualified;  // imports and chain assignments: the dotted name it stands for
};

// A name or call only the link step can tell is a mark or not (a factory, a mark or a decorator
// of another module, or nothing of the kind): asked of it as `link_marks(qualified, called,
// args)`.
struct LinkQuery {
  std::string qualified;
  bool called = false;
  std::vector<Arg> args;
  int line = 0;
};

struct ModuleContext {
  std::string_view src;
  std::string_view path;
  const ScanConfig* cfg;
  std::string module;  // dotted module name of `path`
  // Module-level names, and those bound to marks (`xf = pytest.mark.xfail(...)`). Both are
  // completed while resolving (see `pending`), hence mutable.
  mutable std::map<std::string, Binding> scope;
  mutable std::map<std::string, std::vector<MarkCall>> marker_aliases;
  std::map<std::string, TSNode> classes;  // module-level class name -> its bases
  std::vector<Marker> out;
  const TestNames* names = nullptr;  // python_classes / python_functions
  bool in_testcase = false;          // walking a unittest.TestCase body: `test*` methods only
  // The parametrize marks of the enclosing classes and the module, in the order pytest joins
  // their ids after a test's own (each class's pytestmark list, then its decorators nearest
  // first; inner classes before outer ones; the module's pytestmark last). A null node: one
  // not known (an in-tree ancestor class's, or a class fixture's params=).
  std::vector<TSNode> scope_parametrize = {};
  // The link step (link.cpp): this module's own summary, the tree's other modules, and the
  // paths of those this file's records came to depend on. Null: names stay in this file.
  const ModuleSummary* self = nullptr;
  ModuleIndex* index = nullptr;
  std::set<std::string>* deps = nullptr;
  // The link step's questions and answers, kept for re-linking (link_sites.h); may be null.
  LinkSites* sites = nullptr;
  // Sorted byte offsets where a name a runtime skip can be called by starts (`skip`, `xfail`,
  // `importorskip`, `skipTest`, or a module name bound to one of pytest's): a test body holding
  // none of them holds no runtime skip and is not walked.
  std::vector<uint32_t> runtime_names_at = {};
  // `df = DataFrame(...)` at module level: whether `df` is a mark takes the link step, which
  // may parse the module defining DataFrame (pandas/core/frame.py, 400 kB). It is asked only
  // when something resolves `df` (the bindings after it, a decorator, pytestmark), in the
  // order written, which gives what asking at the assignment would: nothing the link step
  // answers depends on the bindings in between.
  mutable std::map<std::string, std::vector<LinkQuery>> pending = {};
  // The runtime skips of the module's setup_function, which pytest runs before each
  // module-level test function (their condition as guard).
  std::vector<MarkCall> function_setup = {};
  // The fixtures of the classes around the body being walked, which a test sees before the
  // module's: nearest first, each class's own, then its in-tree ancestors' (MRO), then the
  // enclosing class's.
  std::vector<ClassFixtures> class_fixtures = {};
};

// Node helpers (nodes.cpp).
// A node's named children in order, read with a tree cursor: ts_node_named_child(n, i) walks
// the children from the first on each call, so a loop over it is quadratic in their number.
std::vector<TSNode> named_children(TSNode n);
std::string text(const ModuleContext& c, TSNode n);
std::string_view type(TSNode n);
int line_of(TSNode n);
TSNode field(TSNode n, const char* f);
// Attribute chain as identifiers: pytest.mark.xfail -> {pytest, mark, xfail}; empty if not a chain.
std::vector<std::string> chain(const ModuleContext& c, TSNode n, int depth = 0);
// Strips quotes and prefixes from a string literal; f-strings keep their source text.
std::optional<std::string> string_value(const ModuleContext& c, TSNode n);
// A list's or tuple's items (`a, b` without brackets too); comments are named children too and
// must not shift positions.
std::vector<TSNode> items_of(TSNode seq);
// The names an unpacking assignment binds (`a, b = ...`, `(a, b) = ...`, `[a, b] = ...`), in
// order; empty when a target is not a plain name (`a.x, b = ...`, `a, *rest = ...`).
std::vector<TSNode> unpacked_names(TSNode target);
// A list's or tuple's items, else the expression itself (`marks=` takes a mark or a list).
std::vector<TSNode> items_or_self(TSNode n);
// The `name=value` argument of an argument list (a keyword_argument node), or a null node.
TSNode keyword_argument(const ModuleContext& c, TSNode arglist, std::string_view name);
// Statements whose blocks pytest's module import executes (if/try/with/for/while and clauses).
bool is_block_stmt(std::string_view t);

// Name resolution (resolve.cpp).
struct Resolved {
  std::string qualified;  // "pytest.mark.xfail" for `pt.mark.xfail` after `import pytest as pt`
  size_t written = 0;     // how many names the expression spelled (`xfail` = 1)
  bool bound = false;     // its first name is bound in the module (else a builtin or unknown)
};
// The dotted name an expression stands for; a call is stripped to its callee. Null when the
// expression is not a name or attribute chain.
std::optional<Resolved> resolve(const ModuleContext& c, TSNode expr);
// The dotted module name of a file: "pkg/sub/test_a.py" -> "pkg.sub.test_a", "pkg/__init__.py"
// -> "pkg".
std::string module_of_path(std::string_view path);
// The module a `from` import names, made absolute: `from ..x import y` in module a.b.c (or
// package a.b.c when `package`) is a.x.
std::string absolute_module(const std::string& module, bool package, std::string_view written);

// Marker calls (marker_calls.cpp).
void push_args(TSNode arglist, std::vector<Arg>& args, const ModuleContext& c);
// A marker expression: pytest.mark.x, pytest.mark.x(...), alias, alias(...), unittest.skip(...),
// and through the link step a mark, factory or decorator function of another module (which
// may stand for several marks).
std::vector<MarkCall> as_marker(const ModuleContext& c, TSNode n);
// as_marker's answer when this module alone gives it, else the question for the link step.
std::variant<std::vector<MarkCall>, LinkQuery> mark_or_query(const ModuleContext& c, TSNode n);
// as_marker's answer for a question for the link step.
std::vector<MarkCall> linked_marks(const ModuleContext& c, const LinkQuery& q);
std::vector<std::string> split_dots(const std::string& q);
// The kind a name says when it says mute (`skip_*`, `*_skip`, `skipIf*`/`skipUnless*`/`skip` +
// capital, `xfail_*`, `*_xfail`, `known_fail*`, `quarantine*`, `mute`/`mute_*`/`muted*`,
// `flaky*`, `retry`, `rerun*`), else nullopt.
std::optional<MarkerKind> mute_kind(std::string_view last);
// The configured marker name a resolved callee stands for, or "" (any name without a config).
// pytest.mark.NAME whose NAME says mute (mute_kind) counts without being configured.
std::string marker_name(const ModuleContext& c, const Resolved& r, bool& is_mark);
// The marks a name of another module (or of this one's summary) stands for, used at `line`:
// called with `args` when `called`.
std::vector<MarkCall> link_marks(const ModuleContext& c, const std::string& qualified, bool called,
                                 const std::vector<Arg>& args);
// The record of a decorator of module `from_path` that resolves to no mark, because nothing in
// the tree defines it or its definition is not readable (a function deciding at run time),
// but whose last name says mute (skip_*, *_skip, xfail_*, *_xfail, known_fail*, quarantine*,
// flaky*, mute*) or retries (retry, tenacity.retry, rerun*): `resolved` false. Nullopt for
// any other name, and for a name resolved to something known that is no marker
// (`skip_pyarrow = pytest.mark.usefixtures(...)`).
std::optional<MarkCall> unresolved_mute(const ModuleContext& c, const std::string& qualified,
                                        const std::string& from_path, bool called,
                                        const std::vector<Arg>& args, int line);
// A decorator's marks: as_marker's, else its unresolved_mute record.
std::vector<MarkCall> decorator_marks(const ModuleContext& c, TSNode dec_expr);
std::optional<std::string> arg_string(const Arg& a);
// `second` under the condition `first`, when there is one: "(first) and (second)".
std::string conjoin(const std::optional<std::string>& first, const std::string& second);
// The condition under which an `except` clause of `try_stmt` runs, in words (it is no Python
// expression): "`import numpy` raises", or "the try block at line N raises"; with `nothing`,
// that of its `else` clause ("... raises nothing").
std::string try_raised(const ModuleContext& c, TSNode try_stmt, bool nothing = false);
// The Marker record of a call on `test_id`: reason, ticket, since, condition, strict, args.
Marker marker_record(const ModuleContext& c, const MarkCall& call, std::string test_id,
                     MarkerScope scope);
// Every marker expression in a pytestmark value: a mark, or a list/tuple of marks.
std::vector<MarkCall> marks_of(const ModuleContext& c, TSNode value, int depth = 0);

// Runtime skips (runtime_skips.cpp). The runtime skip a resolved callee of a call stands for
// ("skip", "xfail", "importorskip", "skipTest"), or of a raised exception ("skip" for
// pytest.skip.Exception, "SkipTest" for unittest's); "" for none. Config-free.
std::string runtime_call_name(const Resolved& r);
std::string runtime_raise_name(const Resolved& r);
// The configured marker a runtime skip counts as: its name, `skipTest` for `SkipTest`.
std::string runtime_config_key(const std::string& name);
// A call or `raise` statement that is a runtime skip whose marker is configured (c.cfg; with
// none, as for a summary, any runtime skip, its kind left unset).
std::optional<MarkCall> runtime_call(const ModuleContext& c, TSNode n);
// Whether a mark added while the test runs (by its body or a fixture's) still acts: pytest
// reads skip/skipif marks (and rerunfailures its flaky) before the fixtures are set up, and
// evaluates xfail again after the call, so only pytest's `xfail` does.
bool acts_when_added(const MarkCall& k);
// The marks a mark expression given to `add_marker`/`applymarker` stands for (a mark, an
// alias, a factory's call, or a configured name as a string) that act when added.
std::vector<MarkCall> added_marks(const ModuleContext& c, TSNode mark);
// The words a configured runtime skip is spelled with (`skip`, ..., `SkipTest`, and
// `add_marker`/`applymarker`): a source region holding none of them (nor a name bound to one)
// holds no runtime skip.
std::vector<std::string> runtime_words(const ScanConfig& cfg);
// The condition under which `child` of an if/elif statement runs, joined to the condition
// around it: the statement's test, or, for an `elif`/`else`, the negation of each test before
// it (`not (a)`).
std::optional<std::string> branch_condition(const ModuleContext& c, TSNode if_node, TSNode child,
                                            const std::optional<std::string>& outer);
// The condition under which `child` of a try statement runs: an `except` clause's is that the
// try block raised, the `else` clause's that it raised nothing.
std::optional<std::string> clause_condition(const ModuleContext& c, TSNode try_node, TSNode child,
                                            const std::optional<std::string>& outer);
// What a function body does at run time that mutes its test: runtime skips (`skip`), and marks
// it adds to the test (`applied`: the mark expression of `request.node.add_marker(mark)` or
// `request.applymarker(mark)`, a local variable read through its assignment), each with the
// condition of the `if`/`try` around it. Not inside nested functions, lambdas or classes.
struct RuntimeSites {
  std::function<void(MarkCall call, const std::optional<std::string>& cond)> skip;
  std::function<void(TSNode mark, const std::optional<std::string>& cond)> applied;
};
// Walks `body` for them; with a config (c.cfg), only where c.runtime_names_at says a name of
// one starts.
void walk_runtime(const ModuleContext& c, TSNode body, const std::optional<std::string>& cond,
                  const RuntimeSites& sites);
// The xunit setup methods pytest runs before a class's tests: a TestCase's `setUp`,
// `setUpClass`, and any class's `setup_method`, `setup_class` (is_setup_method: any of them).
bool is_setup_method(std::string_view name);
bool runs_setup_method(std::string_view name, bool testcase);
// Whether a dotted name a module binds (`from unittest import SkipTest as ST`) is a configured
// runtime skip.
bool names_runtime_skip(const ScanConfig& cfg, const std::string& qualified);

// Records import/alias bindings found anywhere at module level (bindings.cpp).
void scan_bindings(ModuleContext& c, TSNode n, int depth);
// Asks the link step the pending questions about `name` (ModuleContext::pending), binding it
// as a mark alias when one is answered with marks.
void settle(const ModuleContext& c, const std::string& name);
// While a class body is walked, the names it assigns (`unsupported_fill =
// pytest.mark.xfail(...)`) are what its decorators see, as Python evaluates them in the class's
// scope; the module's bindings come back after.
class ClassScope {
 public:
  ClassScope(ModuleContext& c, TSNode body);
  ~ClassScope();
  ClassScope(const ClassScope&) = delete;
  ClassScope& operator=(const ClassScope&) = delete;

 private:
  struct Saved {
    std::optional<Binding> binding;
    std::optional<std::vector<MarkCall>> marks;
    std::optional<std::vector<LinkQuery>> pending;
  };
  ModuleContext& c_;
  std::map<std::string, Saved> saved_;
};

}  // namespace flakegrab::extractor
