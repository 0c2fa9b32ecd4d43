#pragma once
// The query string of a data endpoint: filters, paging and format. Anything it does not know
// (a filter name, a verdict, a repo that is not served, a bad number) is an error naming it,
// so a typo in a dashboard shows a message rather than an empty table.
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "serve/snapshot.h"

namespace flakegrab::serve {

struct Query {
  std::map<std::string, std::set<std::string>>
      equals;  // repo, branch, kind, scope, ticket, verdict
  std::string file_prefix, test_substring;
  std::optional<std::size_t> limit;
  std::size_t offset = 0;
  Format format = Format::json;
  bool envelope = false;
  bool filtered() const {
    return !equals.empty() || !file_prefix.empty() || !test_substring.empty() || limit || offset;
  }
};

struct QueryError {
  std::string message;  // names the parameter and value
};

// `params` as decoded from the URL; `table` is what the endpoint serves (a per-scan table
// takes only repo and branch); `envelope_ok` for /markers.
std::optional<QueryError> parse_query(const std::multimap<std::string, std::string>& params,
                                      const Snapshot& snap, const Table& table, bool envelope_ok,
                                      Query& out);

bool matches(const Facets& f, const Query& q);

}  // namespace flakegrab::serve
