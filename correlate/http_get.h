#pragma once
// One bounded HTTP GET with redirects handled here, so credentials never follow a redirect to
// another origin (cpp-httplib's own follow_location re-sends every header).
#include <chrono>
#include <optional>
#include <string>

#include <httplib.h>

#include "correlate/fetch.h"

namespace flakegrab::correlate {

struct SplitUrl {
  std::string origin;  // scheme://host[:port]
  std::string path;    // "/..." with query
};

// Throws Error for a non-http(s) URL or one with embedded credentials.
SplitUrl split_url(const std::string& url);

// Drops the query, which may carry a token.
std::string display_url(const std::string& url);

struct GetRequest {
  std::string origin, path;
  httplib::Headers credentials;  // sent to `origin` only, dropped on a cross-origin redirect
  std::string credential_name;   // named when withheld ("GITLAB_TOKEN"); "" when none
  std::string what;              // names the request in errors
};

// The body of a 200 answer. `deadline` is shared by every request of one download.
std::string bounded_get(const GetRequest& request, const FetchLimits& limits,
                        std::chrono::steady_clock::time_point deadline);

}  // namespace flakegrab::correlate
