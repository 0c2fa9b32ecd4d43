#pragma once
// Cheap byte-level checks deciding whether a file is Python source worth parsing.
#include <optional>
#include <string>
#include <string_view>

namespace flakegrab {

// Returns a skip reason ("binary", "not utf-8", "lfs pointer", "too deeply nested") or nullopt
// when the bytes are fine (bytes that are not UTF-8 are fine when a coding cookie names their
// encoding).
std::optional<std::string> file_skip_reason(std::string_view bytes);

// Brackets nested deeper than this make a file "too deeply nested" (Python stops at 200).
inline constexpr int kMaxBracketDepth = 1000;

// The deepest nesting of ( [ { outside strings and comments.
int bracket_depth(std::string_view source);

bool is_valid_utf8(std::string_view bytes);

}  // namespace flakegrab
