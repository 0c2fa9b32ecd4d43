#pragma once
// The lexical passes' one notion of a name character (regions.h, argvalues.h, mark_words.h):
// ASCII letters, digits, `_`, and any byte of a UTF-8 sequence (Python allows non-ASCII names).

namespace flakegrab::python {

inline bool ident_char(char ch) {
  auto u = static_cast<unsigned char>(ch);
  return u >= 0x80 || u == '_' || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
         (u >= '0' && u <= '9');
}

}  // namespace flakegrab::python
