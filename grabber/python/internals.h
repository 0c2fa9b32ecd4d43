#pragma once
// Internals of the marker extractor, shared by its files: the parse context, tree-sitter node
// helpers, marker calls and import bindings. Not part of the grabber's public interface.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <tree_sitter/api.h>

#include "grabber/grabber.h"

namespace flakegrab::extractor {

// The fuzzer feeds deep nesting; past this depth we stop looking rather than overflow the stack.
constexpr int kMaxDepth = 256;

struct Call {
  std::string name;      // resolved marker name
  std::string written;   // how the callee was written ("pytest.mark.xfail", "skipIf")
  bool is_mark = false;  // pytest.mark.* (first positional of xfail is a condition)
  std::vector<std::pair<std::string, TSNode>> args;  // alias args first, then the call's
  int line = 0;
};

struct Ctx {
  std::string_view src;
  std::string_view path;
  const ScanConfig* cfg;
  std::set<std::string> pytest_names;             // names bound to the pytest module
  std::set<std::string> mark_names;               // names bound to pytest.mark
  std::set<std::string> unittest_names;           // names bound to the unittest module
  std::set<std::string> imported;                 // bare names imported from unittest/flaky/pytest
  std::map<std::string, std::string> name_alias;  // `from unittest import skip as s` -> s: skip
  std::map<std::string, Call> marker_aliases;     // `xf = pytest.mark.xfail(strict=False)`
  std::map<std::string, TSNode> classes;          // module-level class name -> its bases
  std::vector<Marker> out;
  const TestNames* names = nullptr;  // python_classes / python_functions
  bool in_testcase = false;          // walking a unittest.TestCase body: `test*` methods only
};

// Node helpers (nodes.cpp).
std::string text(const Ctx& c, TSNode n);
std::string_view type(TSNode n);
int line_of(TSNode n);
TSNode field(TSNode n, const char* f);
// Attribute chain as identifiers: pytest.mark.xfail -> {pytest, mark, xfail}; empty if not a chain.
std::vector<std::string> chain(const Ctx& c, TSNode n, int depth = 0);
// Strips quotes and prefixes from a string literal; f-strings keep their source text.
std::optional<std::string> string_value(const Ctx& c, TSNode n);
// A list's or tuple's items; comments are named children too and must not shift positions.
std::vector<TSNode> items_of(TSNode seq);
// Statements whose blocks pytest's module import executes (if/try/with/for/while and clauses).
bool is_block_stmt(std::string_view t);

// Marker calls (marker_calls.cpp).
void push_args(TSNode arglist, std::vector<std::pair<std::string, TSNode>>& args, const Ctx& c);
// A marker expression: pytest.mark.x, pytest.mark.x(...), alias, alias(...), unittest.skip(...).
std::optional<Call> as_marker(const Ctx& c, TSNode n);
std::optional<std::string> arg_string(const Ctx& c, TSNode v);
// The Marker record of a call on `test_id`: reason, ticket, since, condition, strict, args.
Marker build(const Ctx& c, const Call& call, std::string test_id, MarkerScope scope);
// Every marker expression in a pytestmark value: a mark, or a list/tuple of marks.
std::vector<Call> marks_of(const Ctx& c, TSNode value, int depth = 0);

// Records import/alias bindings found anywhere at module level (bindings.cpp).
void scan_bindings(Ctx& c, TSNode n, int depth);

}  // namespace flakegrab::extractor
