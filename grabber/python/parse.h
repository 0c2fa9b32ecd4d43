#pragma once
// The one place Python source is handed to tree-sitter: every parse goes through parse_python,
// so what gets parsed (the whole file, or chosen regions of it) is decided here alone.
#include <string_view>
#include <vector>

#include <tree_sitter/api.h>

#include "grabber/python/regions.h"
#include "grabber/python/ts_handles.h"

namespace flakegrab::python {

// A parser set up for Python, or null when tree-sitter cannot provide one.
TsParserPtr python_parser();

// This thread's parser, made on first use and kept for the thread's life: a parser's stacks
// and lexer buffers are reused from file to file instead of allocated for each. Null when
// tree-sitter cannot provide one. A tree it returned outlives the next parse.
TSParser* thread_parser();

// Parses `source` (UTF-8). Null when tree-sitter gives up (it recovers from syntax errors).
TsTreePtr parse_python(TSParser* parser, std::string_view source);

// Parses `source` without the `elided` bytes (in order, not overlapping); nodes keep the
// source's byte offsets and points. Null when tree-sitter gives up or refuses the ranges.
TsTreePtr parse_python_without(TSParser* parser, std::string_view source,
                               const std::vector<Elided>& elided);

}  // namespace flakegrab::python
