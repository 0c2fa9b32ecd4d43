#pragma once
// The small text operations on URLs that several rooms need: percent-encoding (query values,
// path segments of tracker and GitLab APIs, the Redshift URL), percent-decoding (userinfo) and
// a case-insensitive scheme test.
#include <string>
#include <string_view>

namespace flakegrab {

// Every byte but RFC 3986's unreserved ones (ALPHA DIGIT - . _ ~) and those in `also_keep`
// as %XX (upper-case hex).
std::string percent_encode(std::string_view s, std::string_view also_keep = {});

// %XX sequences decoded; a '%' not followed by two hex digits is kept as it is.
std::string percent_decode(std::string_view s);

// Whether `s` starts with `lower_prefix` (given in lower case), ignoring ASCII case.
bool starts_with_ci(std::string_view s, std::string_view lower_prefix);

}  // namespace flakegrab
