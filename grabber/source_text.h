#pragma once
// From a Python file's bytes to the UTF-8 text the parser reads, as Python's own reader does
// it: a UTF-8 BOM is dropped, CR-only line ends (old Mac files) become LF, and a PEP 263 coding
// cookie on the first or second line (`# -*- coding: latin-1 -*-`) names the encoding, which
// glibc's iconv converts to UTF-8. Every step keeps the line numbers Python gives.
#include <optional>
#include <string>
#include <string_view>

namespace flakegrab {

struct SourceText {
  std::string text;  // UTF-8, LF or CRLF line ends
  // "not utf-8" (no cookie, or a utf-8 one), "unknown encoding" (a cookie iconv cannot
  // decode), "bad encoding" (bytes the declared encoding does not allow, or a BOM with a
  // cookie that is not utf-8: Python refuses both).
  std::optional<std::string> skip_reason;
};

SourceText python_source_text(std::string bytes);

// The encoding a PEP 263 cookie on line 1, or on line 2 after a blank or comment line 1,
// names, as written; nullopt when there is none.
std::optional<std::string> coding_cookie(std::string_view bytes);

}  // namespace flakegrab
