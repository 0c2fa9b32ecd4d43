#include "grabber/file_checks.h"

#include "grabber/source_text.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace flakegrab {

namespace {
bool ascii8(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return (w & 0x8080808080808080ULL) == 0;
}
}  // namespace

namespace {
// What bracket_depth looks at, by byte: most bytes of a source are none of these, and one table
// look-up per byte is half the time of a chain of comparisons.
enum : unsigned char { kPlain, kOpen, kClose, kComment, kQuote };
constexpr std::array<unsigned char, 256> kBracketClass = [] {
  std::array<unsigned char, 256> t{};
  t['('] = t['['] = t['{'] = kOpen;
  t[')'] = t[']'] = t['}'] = kClose;
  t['#'] = kComment;
  t['\''] = t['"'] = kQuote;
  return t;
}();
}  // namespace

int bracket_depth(std::string_view s) {
  int depth = 0, deepest = 0;
  const char* p = s.data();
  const char* const end = p + s.size();
  while (p < end) {
    // Plain bytes in a tight loop: a jump per byte through the switch is twice as slow.
    while (kBracketClass[static_cast<unsigned char>(*p)] == kPlain)
      if (++p == end) return deepest;
    switch (kBracketClass[static_cast<unsigned char>(*p)]) {  // not kPlain: stepped over
      case kOpen:
        deepest = std::max(deepest, ++depth);
        ++p;
        break;
      case kClose:
        depth = std::max(0, depth - 1);
        ++p;
        break;
      case kComment: {
        const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
        p = nl ? static_cast<const char*>(nl) : end;
        break;
      }
      default: {
        // A string: brackets inside do not nest. Triple quotes may span lines; single ones end
        // at the line (an unterminated one is the parser's problem, not this count's).
        const char q = *p;
        const bool triple = end - p > 2 && p[1] == q && p[2] == q;
        for (p += triple ? 3 : 1; p < end; ++p) {
          if (*p == '\\') {
            if (++p == end) break;
          } else if (!triple && *p == '\n') {
            break;
          } else if (*p == q && (!triple || (end - p > 2 && p[1] == q && p[2] == q))) {
            p += triple ? 3 : 1;
            break;
          }
        }
      }
    }
  }
  return deepest;
}

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    // Source is mostly ASCII: skip it eight bytes at a time.
    while (n - i >= 8 && ascii8(s.data() + i)) i += 8;
    if (i == n) break;
    auto c = static_cast<unsigned char>(s[i]);
    int extra = 0;
    unsigned min = 0;
    unsigned cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, min = 0x10000, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + static_cast<std::size_t>(extra) >= n) return false;
    for (int k = 1; k <= extra; ++k) {
      auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and out-of-range code points are what Python rejects too.
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += static_cast<std::size_t>(extra) + 1;
  }
  return true;
}

std::optional<std::string> file_skip_reason(std::string_view bytes) {
  // LFS pointers are valid text, so they are recognised before the content checks.
  if (bytes.starts_with("version https://git-lfs.github.com/spec/v1")) return "lfs pointer";
  std::string_view head = bytes.substr(0, std::min<std::size_t>(bytes.size(), 8192));
  if (head.find('\0') != std::string_view::npos) return "binary";
  // A coding cookie names another encoding: python_source_text decodes (or refuses) it.
  if (!is_valid_utf8(bytes) && !coding_cookie(bytes)) return "not utf-8";
  // Python refuses more than 200 nested brackets, so such a module holds no collectable test;
  // past this the file is not handed to the parser at all (a guard of our own, whatever the
  // parser's limits).
  if (bracket_depth(bytes) > kMaxBracketDepth) return "too deeply nested";
  return std::nullopt;
}

}  // namespace flakegrab
