#include "grabber/python/parse.h"

extern "C" const TSLanguage* tree_sitter_python();

namespace flakegrab::python {

TsParserPtr python_parser() {
  TsParserPtr parser(ts_parser_new());
  if (!parser || !ts_parser_set_language(parser.get(), tree_sitter_python())) return nullptr;
  return parser;
}

TsTreePtr parse_python(TSParser* parser, std::string_view source) {
  return TsTreePtr(
      ts_parser_parse_string(parser, nullptr, source.data(), static_cast<uint32_t>(source.size())));
}

}  // namespace flakegrab::python
