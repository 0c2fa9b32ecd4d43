#pragma once
// A served table: flat rows of scalars, the values each row can be filtered on, and each row
// already serialised as JSON and as a CSV line, so a filtered request only concatenates.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace flakegrab::serve {

// What a row can be filtered on. A row with several markers (a verdict row) has several
// kinds, scopes, tickets and files; `has_markers` is false for per-scan rows (/scans,
// /summary), where only repo and branch apply.
struct Facets {
  std::string repo, branch, test_id, verdict;
  std::vector<std::string> kinds, scopes, tickets, files;
  bool has_markers = true;
};

enum class Format { json, ndjson, csv };

struct Table {
  std::vector<std::string> columns;  // every key of every row, in order of first appearance
  std::vector<nlohmann::ordered_json> rows;
  std::vector<Facets> facets;
  std::vector<std::string> row_json, row_csv;  // filled by finish()
  bool csv_ok = true;                          // false when rows hold objects (/scans)

  void add(nlohmann::ordered_json row, Facets facets);
  // Serialises every row; call once, after the last add().
  void finish();
  // The body for rows[i] for every i in `pick`, in that order.
  std::string render(const std::vector<std::size_t>& pick, Format format) const;
  std::string render_all(Format format) const;
  // Redash's URL data source document: {"columns": [{name, type, friendly_name}], "rows"}.
  std::string render_redash(const std::vector<std::size_t>& pick) const;
  // The Redash type of a column: string, integer, float, boolean, date or datetime (strings
  // that are all ISO 8601 dates or date-times).
  std::string column_type(const std::string& column) const;
};

}  // namespace flakegrab::serve
