#include "base/redact_url.h"

#include <cctype>

#include "base/url_text.h"

namespace flakegrab {

namespace {

bool is_scheme_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
}

}  // namespace

std::string redact_url(std::string_view text) {
  // Works on any text so that libgit2 messages quoting a URL are cleaned the same way.
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t sep = text.find("://", pos);
    if (sep == std::string_view::npos) break;
    size_t scheme_begin = sep;
    while (scheme_begin > pos && is_scheme_char(text[scheme_begin - 1])) --scheme_begin;
    std::string_view scheme = text.substr(scheme_begin, sep - scheme_begin);
    size_t auth_begin = sep + 3;
    size_t auth_end = auth_begin;
    while (auth_end < text.size() && text[auth_end] != '/' && text[auth_end] != ' ' &&
           text[auth_end] != '\'' && text[auth_end] != '"' && text[auth_end] != '\t')
      ++auth_end;
    std::string_view authority = text.substr(auth_begin, auth_end - auth_begin);
    out.append(text.substr(pos, auth_begin - pos));
    size_t at = authority.rfind('@');
    if (at != std::string_view::npos) {
      std::string_view userinfo = authority.substr(0, at);
      // An ssh user name is an address, not a secret; a password never survives.
      if (starts_with_ci(scheme, "ssh") || starts_with_ci(scheme, "git+ssh")) {
        size_t colon = userinfo.find(':');
        out.append(userinfo.substr(0, colon));
        out.push_back('@');
      }
      out.append(authority.substr(at + 1));
    } else {
      out.append(authority);
    }
    pos = auth_end;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace flakegrab
