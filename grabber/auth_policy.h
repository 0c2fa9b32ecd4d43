#pragma once
// Where credentials may go. One rule for every token flakegrab sends (git remotes, GitLab, issue
// trackers): only to the origin it was given for, and never over plain http unless the user said
// so (--allow-insecure-auth). Withheld credentials are named in the error that follows.
#include <string>
#include <string_view>

namespace flakegrab {

struct AuthPolicy {
  bool allow_insecure = false;  // --allow-insecure-auth: also send credentials over plain http
};

// "scheme://host[:port]", lower-cased scheme and host; "" when `url` has no scheme.
std::string url_origin(std::string_view url);

// http:// (any case). Other schemes (https, ssh, git, file) are not "plain http" here: ssh and
// https encrypt, git:// and file:// never carry a credential.
bool is_plain_http(std::string_view url);

// Whether `credential` may be sent to `url` under `policy`.
bool may_send_credential(std::string_view url, const AuthPolicy& policy);

// "GITHUB_TOKEN not sent over plain http (http://host/...); use https, or pass
// --allow-insecure-auth to send it anyway". `credential` names where the secret came from
// (an environment variable, "the password in the URL"), never the secret itself.
std::string withheld_credential_message(std::string_view credential, std::string_view url_display);

}  // namespace flakegrab
