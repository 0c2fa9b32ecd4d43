#include "serve/auth.h"

#include <arpa/inet.h>

#include <algorithm>
#include <sstream>

#include "base/error.h"
#include "base/read_file.h"

namespace flakegrab::serve {
namespace {

// RFC 4648 base64; nullopt-like empty result with ok=false on a bad character.
std::string base64_decode(const std::string& in, bool& ok) {
  std::string out;
  unsigned buf = 0;
  int bits = 0;
  ok = true;
  for (char c : in) {
    int v = c >= 'A' && c <= 'Z'   ? c - 'A'
            : c >= 'a' && c <= 'z' ? c - 'a' + 26
            : c >= '0' && c <= '9' ? c - '0' + 52
            : c == '+'             ? 62
            : c == '/'             ? 63
                                   : -1;
    if (c == '=') break;
    if (v < 0) {
      ok = false;
      return {};
    }
    buf = (buf << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buf >> bits) & 0xff);
    }
  }
  return out;
}

}  // namespace

bool same_secret(const std::string& given, const std::string& expected) {
  // Walks the expected length whatever is given; only the length itself can show.
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    unsigned char g = i < given.size() ? static_cast<unsigned char>(given[i]) : 0;
    diff |= static_cast<unsigned char>(g ^ static_cast<unsigned char>(expected[i]));
  }
  return diff == 0;
}

bool Auth::allows(const std::string& authorization) const {
  if (open()) return true;
  bool ok = false;
  if (!token.empty() && authorization.starts_with("Bearer "))
    ok |= same_secret(authorization.substr(7), token);
  if (!users.empty() && authorization.starts_with("Basic ")) {
    bool decoded = false;
    std::string pair = base64_decode(authorization.substr(6), decoded);
    // Every entry is compared, so the time does not say which user matched.
    for (const auto& u : users) ok |= decoded && same_secret(pair, u);
  }
  return ok;
}

std::string Auth::challenge() const {
  return users.empty() ? "Bearer" : R"(Basic realm="flakegrab", charset="UTF-8")";
}

std::vector<std::string> read_users_file(const std::string& path) {
  std::vector<std::string> users;
  std::istringstream in(read_whole_file(path));
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    auto colon = line.find(':');
    if (colon == 0 || colon == std::string::npos || colon + 1 == line.size())
      throw Error(path + ":" + std::to_string(n) + ": expected user:password");
    users.push_back(line);
  }
  if (users.empty()) throw Error(path + ": lists no user");
  return users;
}

bool is_loopback_host(const std::string& host) {
  if (host == "localhost") return true;
  unsigned char a[16];
  if (inet_pton(AF_INET, host.c_str(), a) == 1) return a[0] == 127;
  if (inet_pton(AF_INET6, host.c_str(), a) != 1) return false;
  static const unsigned char one[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(a, a + 16, one)) return true;
  return std::equal(a, a + 12, mapped) && a[12] == 127;
}

}  // namespace flakegrab::serve
