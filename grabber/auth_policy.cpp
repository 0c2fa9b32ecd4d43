#include "grabber/auth_policy.h"

#include <algorithm>
#include <cctype>

namespace flakegrab {

std::string url_origin(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return "";
  auto authority_end = url.find_first_of("/?#", scheme_end + 3);
  std::string origin(url.substr(0, authority_end));
  // Userinfo is not part of the origin.
  if (auto at = origin.rfind('@'); at != std::string::npos && at > scheme_end)
    origin.erase(scheme_end + 3, at - scheme_end - 2);
  std::transform(origin.begin(), origin.end(), origin.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return origin;
}

bool is_plain_http(std::string_view url) {
  if (url.size() < 7) return false;
  std::string head(url.substr(0, 7));
  std::transform(head.begin(), head.end(), head.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return head == "http://";
}

bool may_send_credential(std::string_view url, const AuthPolicy& policy) {
  return policy.allow_insecure || !is_plain_http(url);
}

std::string withheld_credential_message(std::string_view credential, std::string_view url_display) {
  return std::string(credential) + " not sent over plain http (" + std::string(url_display) +
         "); use https, or pass --allow-insecure-auth to send it anyway";
}

}  // namespace flakegrab
