#pragma once
// The trackers' HTTP APIs: the request for one ticket (path, headers, token) and the state read
// from each API's real answer shape. Internal to correlate/ticket_lookup.cpp.
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "correlate/ticket.h"

namespace flakegrab::correlate {

struct TrackerRequest {
  std::string origin, path;  // scheme://host[:port]; path with query
  httplib::Headers headers;
  bool authenticated = false;  // a token is in the headers
};

// `send_token` false: the request goes out without credentials.
TrackerRequest build_request(const Tracker& tracker, const TicketRef& ref,
                             const TrackerCredentials& credentials, bool send_token);
bool has_token(const Tracker& tracker, const TrackerCredentials& credentials);

// The state in a 200 answer. Throws Error saying which expected field is missing.
TicketState parse_answer(const Tracker& tracker, const TicketRef& ref, const nlohmann::json& j);

}  // namespace flakegrab::correlate
