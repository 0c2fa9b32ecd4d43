#pragma once
// RAII owners for tree-sitter C handles.
#include <memory>

#include <tree_sitter/api.h>

namespace flakegrab {

struct TsParserDeleter {
  void operator()(TSParser* p) const { ts_parser_delete(p); }
};
struct TsTreeDeleter {
  void operator()(TSTree* t) const { ts_tree_delete(t); }
};
using TsParserPtr = std::unique_ptr<TSParser, TsParserDeleter>;
using TsTreePtr = std::unique_ptr<TSTree, TsTreeDeleter>;

}  // namespace flakegrab
