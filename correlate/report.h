#pragma once
// Renders a correlation result: json (one document), ndjson and csv (one row per test, stable
// column types for Redash), markdown (tests by date with status marks plus a verdict column).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "correlate/verdict.h"

namespace flakegrab::correlate {

// Fields in a fixed order: identity (test_id, verdict) first.
nlohmann::ordered_json row_to_json(const VerdictRow& row);
nlohmann::ordered_json summary_to_json(const CorrelateSummary& summary);
// The evidence fields of a row (runs, rates, streak, ...), one type each in every row.
void add_evidence_fields(nlohmann::ordered_json& row, const Evidence& evidence);
// One row with scalar fields only (markers joined with ';'), the same columns as csv: what a
// table reader such as Redash's JSON source wants. Every field has one type in every row.
nlohmann::ordered_json flat_row(const VerdictRow& row);

// The flat row's columns, in order, with their one type: the verdict row's schema for any
// table that stores or serves verdicts (csv header, a history database).
enum class ColumnType { string, integer, real, boolean };
struct VerdictColumn {
  std::string name;
  ColumnType type;
};
std::vector<VerdictColumn> verdict_columns();

// One CSV field, quoted per RFC 4180 when it holds a comma, quote or line break.
std::string csv_cell(const std::string& text);

// Compact unless `pretty` (indented).
std::string render_json(const CorrelateResult& result, bool pretty = false);
std::string render_ndjson(const CorrelateResult& result);
std::string render_csv(const CorrelateResult& result);
// Only the newest `date_columns` run dates get a column; the evidence column ("14/59 clean")
// sums up the older ones.
std::string render_markdown(const CorrelateResult& result, bool ascii_marks, int date_columns = 14);

// Terminal columns a UTF-8 string occupies (emoji count 2, variation selectors 0).
std::size_t display_width(std::string_view utf8);

}  // namespace flakegrab::correlate
