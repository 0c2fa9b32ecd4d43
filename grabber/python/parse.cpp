#include "grabber/python/parse.h"

#include <limits>

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

TsTreePtr parse_python_without(TSParser* parser, std::string_view source,
                               const std::vector<Elided>& elided) {
  // The included ranges are the complement of the elided ones.
  std::vector<TSRange> ranges;
  ranges.reserve(elided.size() + 1);
  TSPoint from_point{0, 0};
  uint32_t from = 0;
  for (const Elided& e : elided) {
    ranges.push_back({from_point, {e.begin_point.row, e.begin_point.column}, from, e.begin});
    from_point = {e.end_point.row, e.end_point.column};
    from = e.end;
  }
  const uint32_t max = std::numeric_limits<uint32_t>::max();
  ranges.push_back({from_point, {max, max}, from, max});
  if (!ts_parser_set_included_ranges(parser, ranges.data(), static_cast<uint32_t>(ranges.size())))
    return nullptr;
  TsTreePtr tree = parse_python(parser, source);
  ts_parser_set_included_ranges(parser, nullptr, 0);  // the next parse is of a whole file
  return tree;
}

}  // namespace flakegrab::python
