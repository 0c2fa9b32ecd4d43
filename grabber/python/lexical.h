#pragma once
// What the lexical passes (regions.h, argvalues.h, mark_words.h) share: one notion of a name
// character, of a name and of where a string literal ends.
#include <array>
#include <cstddef>
#include <string_view>

namespace flakegrab::python {

// ASCII letters, digits, `_`, and any byte of a UTF-8 sequence (Python allows non-ASCII names).
// A table: the passes ask it of every byte of every file.
inline constexpr std::array<bool, 256> kIdentChar = [] {
  std::array<bool, 256> t{};
  for (int u = 0; u < 256; ++u)
    t[u] = u >= 0x80 || u == '_' || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
           (u >= '0' && u <= '9');
  return t;
}();
inline bool ident_char(char ch) {
  return kIdentChar[static_cast<unsigned char>(ch)];
}

// Calls `f(begin, end)` for each name [begin, end) of `s` in order (a maximal run of name
// characters, in strings and comments too) until one call returns true; whether one did.
template <class F>
bool any_name(std::string_view s, F&& f) {
  for (size_t i = 0; i < s.size();) {
    if (!ident_char(s[i])) {
      ++i;
      continue;
    }
    size_t e = i;
    while (e < s.size() && ident_char(s[e])) ++e;
    if (f(i, e)) return true;
    i = e;
  }
  return false;
}

// The calls that add a mark to a test at run time (`request.node.add_marker(m)`,
// `request.applymarker(m)`), whose mark may be a string or any local.
inline constexpr std::string_view kMarkAdders[] = {"add_marker", "applymarker"};

// The end of the string literal whose quote is at `i` (past its closing quote), or npos when
// it does not end (a single-quoted one at its line's end).
inline size_t string_end(std::string_view s, size_t i) {
  const char q = s[i];
  const bool triple = i + 2 < s.size() && s[i + 1] == q && s[i + 2] == q;
  for (size_t j = i + (triple ? 3 : 1); j < s.size(); ++j) {
    if (s[j] == '\\') {
      ++j;
    } else if (s[j] == '\n' && !triple) {
      return std::string_view::npos;
    } else if (s[j] == q && (!triple || (j + 2 < s.size() && s[j + 1] == q && s[j + 2] == q))) {
      return j + (triple ? 3 : 1);
    }
  }
  return std::string_view::npos;
}

}  // namespace flakegrab::python
