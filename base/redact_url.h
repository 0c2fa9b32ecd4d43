#pragma once
#include <string>
#include <string_view>

namespace flakegrab {

// Removes any userinfo ("user:token@") from every URL in `text` (a URL or a message quoting
// one); an ssh user name is kept, its password is not. Paths and scp-like forms are unchanged.
std::string redact_url(std::string_view text);

}  // namespace flakegrab
