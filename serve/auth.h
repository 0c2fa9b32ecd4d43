#pragma once
// Who may read the data: a bearer token (FLAKEGRAB_SERVE_TOKEN) or HTTP basic users from a
// file (FLAKEGRAB_SERVE_USERS: one `user:password` per line, `#` comments), which is what
// Redash's URL source sends. Secrets are compared in constant time.
#include <string>
#include <vector>

namespace flakegrab::serve {

struct Auth {
  std::string token;
  std::vector<std::string> users;  // "user:password"
  bool open() const { return token.empty() && users.empty(); }
  // The Authorization header's value: true when it carries the token or a listed user.
  bool allows(const std::string& authorization) const;
  // WWW-Authenticate for a 401.
  std::string challenge() const;
};

// Reads a users file; throws Error naming the file and line of a malformed entry (never its
// contents).
std::vector<std::string> read_users_file(const std::string& path);

// Whether a listening host is reachable from this machine only: `localhost`, 127.0.0.0/8, ::1
// and IPv4-mapped 127.x. An open server on any other address is warned about.
bool is_loopback_host(const std::string& host);

// Equal without an early exit, so the time taken says nothing about where they differ.
bool same_secret(const std::string& given, const std::string& expected);

}  // namespace flakegrab::serve
