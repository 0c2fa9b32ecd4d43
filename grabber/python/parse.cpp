#include "grabber/python/parse.h"

extern "C" const TSLanguage* tree_sitter_python();

namespace flakegrab::python {

TsParserPtr python_parser() {
  TsParserPtr parser(ts_parser_new());
  if (!parser || !ts_parser_set_language(parser.get(), tree_sitter_python())) return nullptr;
  return parser;
}

TSParser* thread_parser() {
  thread_local TsParserPtr parser = python_parser();
  return parser.get();
}

TsTreePtr parse_python(TSParser* parser, std::string_view source) {
  // A parse that stopped half-way would otherwise be resumed by the next call.
  ts_parser_reset(parser);
  return TsTreePtr(
      ts_parser_parse_string(parser, nullptr, source.data(), static_cast<uint32_t>(source.size())));
}

}  // namespace flakegrab::python
