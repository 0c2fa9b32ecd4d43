#pragma once
// gzip (RFC 1952) of a whole buffer with zlib, done once per refresh per body.
#include <string>
#include <string_view>

namespace flakegrab::serve {

std::string gzip_compress(std::string_view data);

}  // namespace flakegrab::serve
