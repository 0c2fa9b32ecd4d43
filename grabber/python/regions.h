#pragma once
// The regions of a Python source the extractor needs parsed, found by a lexical pass (a small
// tokenizer aware of strings, comments, brackets and line continuations): everything but the
// parts of function bodies that can hold nothing the extractor reports. What is left of a body
// is a valid block for the parse: the first word of one of its statements that is a statement
// on its own (`result` of `result = f()`, `return`), else its first statement, a compound
// one's header with what its own block keeps the same way.
//
// A body is left out only when it cannot matter:
// - it holds none of `words` (the names a runtime skip is called by; the caller checks the
//   module's aliases of them after the parse); one that does keeps the statements that hold
//   one, with the headers of the compound statements around them (their tests are a skip's
//   condition), a `try` whole (an except clause's condition reads its block), and the whole
//   body when it adds marks (`request.applymarker(m)`: `m` may be any local before it), and
// - the function is not a module-level one whose name is used again anywhere in the file (the
//   file's own summary reads such a function's returns and the decorations it applies), nor
//   one nested in a function the parse keeps (a factory's inner decorator is summarized too),
//   nor an xunit setup function (`setUp`, `setup_method`, `setUpModule`, ...: its skips hold
//   for the class's tests, and whether it calls its base's decides whether the base's do).
// Methods are read for their names, decorators and parameters only, module-level test
// functions for their names and decorators. When asked, the insides of a test file's
// parametrize argvalues displays go too, of each def none of whose parameter sets can carry a
// mark (argvalues.h).
//
// For a module summarized for the link step (`Bodies::summary`) only methods lose their
// bodies: its module-level functions are the factories and decorators other files use.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flakegrab::python {

// A position as tree-sitter counts it: rows from 0, columns in bytes.
struct Point {
  uint32_t row = 0;
  uint32_t column = 0;
};

// Bytes [begin, end) of the source left out of the parse.
struct Elided {
  uint32_t begin = 0;
  uint32_t end = 0;
  Point begin_point{};
  Point end_point{};
};

// The bodies to leave out, in source order, not overlapping. Nullopt when the lexical pass is
// in doubt (an unterminated string or bracket, a tab or form feed in an indentation, a lone
// carriage return, a dedent to no enclosing level): the caller parses the whole file.
enum class Bodies { test_file, summary };
std::optional<std::vector<Elided>> elided_bodies(std::string_view source,
                                                 const std::vector<std::string>& words,
                                                 Bodies kept_for = Bodies::test_file);
// The same, given where `words` start in the source (word_positions). With `argvalues`, a
// test file's parametrize argument lists too, of each def none of whose parameter sets can
// carry a mark (argvalues.h); not when `parametrize` is a configured marker (its records quote
// them).
std::optional<std::vector<Elided>> elided_bodies(std::string_view source,
                                                 const std::vector<uint32_t>& word_at,
                                                 Bodies kept_for = Bodies::test_file,
                                                 bool argvalues = false);

// The sorted byte offsets where any of `words` starts in the source as a whole name (not
// inside a longer identifier: `skipna`), strings and comments included (each word found once
// per source, not once per body).
std::vector<uint32_t> word_positions(std::string_view source,
                                     const std::vector<std::string>& words);

}  // namespace flakegrab::python
