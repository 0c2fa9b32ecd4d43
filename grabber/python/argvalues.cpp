#include "grabber/python/argvalues.h"

#include <string_view>

#include "grabber/python/lexical.h"

namespace flakegrab::python {
namespace {

// Reads one call's arguments: strings, comments and brackets stepped over as the regions
// lexer does (which has checked that the line's strings and brackets close).
class Scanner {
 public:
  Scanner(std::string_view s, size_t at, size_t end) : s_(s), i_(at), end_(end) {}

  size_t pos() const { return i_; }
  bool done() const { return i_ >= end_; }
  char peek() const { return i_ < end_ ? s_[i_] : '\0'; }

  // Steps over spaces, line ends, continuations and comments.
  void blanks() {
    while (i_ < end_) {
      const char c = s_[i_];
      if (c == '#') {
        while (i_ < end_ && s_[i_] != '\n') ++i_;
      } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\\') {
        ++i_;
      } else {
        return;
      }
    }
  }
  // Steps over one token-ish unit: a string, a bracketed group, a comment or one character.
  // False when a string or bracket does not close before end_.
  bool unit() {
    const char c = s_[i_];
    if (c == '"' || c == '\'') return string();
    if (c == '#') {
      blanks();
      return true;
    }
    if (c == '(' || c == '[' || c == '{') return group();
    ++i_;
    return true;
  }
  // A bracketed group starting at i_; i_ ends past its closing bracket.
  bool group() {
    int depth = 0;
    while (i_ < end_) {
      const char c = s_[i_];
      if (c == '"' || c == '\'') {
        if (!string()) return false;
        continue;
      }
      if (c == '#') {
        while (i_ < end_ && s_[i_] != '\n') ++i_;
        continue;
      }
      ++i_;
      if (c == '(' || c == '[' || c == '{') ++depth;
      if ((c == ')' || c == ']' || c == '}') && --depth == 0) return true;
    }
    return false;
  }

 private:
  bool string() {
    const size_t e = string_end(s_, i_);
    if (e == std::string_view::npos || e > end_) return false;
    i_ = e;
    return true;
  }

  std::string_view s_;
  size_t i_;
  size_t end_;
};

bool has_word(std::string_view s, std::string_view w) {
  return any_name(s, [&](size_t i, size_t e) { return s.substr(i, e - i) == w; });
}

// Whether a display's text can carry or bind a mark: what param_items would follow.
bool may_carry(std::string_view interior) {
  for (std::string_view bad : {"mark", "param", "*", ":="})
    if (interior.find(bad) != std::string_view::npos) return true;
  return has_word(interior, "for");
}

// A keyword argument starts `name =` (not `==`).
bool keyword_at(std::string_view s, size_t p, size_t end) {
  size_t e = p;
  while (e < end && ident_char(s[e])) ++e;
  if (e == p) return false;
  while (e < end && s[e] == ' ') ++e;
  return e < end && s[e] == '=' && (e + 1 >= end || s[e + 1] != '=');
}

}  // namespace

Decorator read_decorator(std::string_view source, uint32_t at, uint32_t end) {
  constexpr std::string_view kPrefix = "@pytest.mark.parametrize(";
  Decorator d;
  if (end > source.size() || source.substr(at, kPrefix.size()) != kPrefix) return d;
  d.parametrize = true;
  Scanner sc(source, at + kPrefix.size(), end);
  // The first argument: argnames, positional.
  sc.blanks();
  if (sc.done() || keyword_at(source, sc.pos(), end)) return d;
  while (!sc.done() && sc.peek() != ',' && sc.peek() != ')')
    if (!sc.unit()) return d;
  if (sc.peek() != ',') return d;
  sc.unit();
  // The second: argvalues, a display.
  sc.blanks();
  const char open = sc.peek();
  if (open != '[' && open != '(') return d;
  const size_t begin = sc.pos();
  if (!sc.group()) return d;
  const size_t close = sc.pos() - 1;
  const std::string_view inside = source.substr(begin + 1, close - begin - 1);
  if (may_carry(inside)) return d;
  if (open == '(') {  // a tuple, not a parenthesized expression (`(CASES)` names a list)
    Scanner in(source, begin + 1, close);
    bool comma = false;
    while (!in.done() && !comma) {
      comma = in.peek() == ',';
      if (!in.unit()) return d;
    }
    if (!comma) return d;
  }
  // Then only more arguments (`ids=`, `indirect=`), and nothing after the call.
  sc.blanks();
  if (sc.peek() != ',' && sc.peek() != ')') return d;
  while (!sc.done() && sc.peek() != ')')
    if (!sc.unit()) return d;
  if (sc.done()) return d;
  sc.unit();
  sc.blanks();
  if (!sc.done()) return d;
  d.plain = Interior{static_cast<uint32_t>(begin + 1), static_cast<uint32_t>(close)};
  return d;
}

bool pytest_is_plainly_imported(std::string_view s) {
  constexpr std::string_view kWord = "pytest";
  constexpr std::string_view kImport = "import pytest";
  bool imported = false;
  for (size_t p = s.find(kWord); p != std::string_view::npos; p = s.find(kWord, p + 1)) {
    const size_t e = p + kWord.size();
    if ((p > 0 && ident_char(s[p - 1])) || (e < s.size() && ident_char(s[e]))) continue;
    if (e < s.size() && s[e] == '.') continue;
    const size_t line =
        p >= kImport.size() - kWord.size() ? p - (kImport.size() - kWord.size()) : 0;
    const bool at_line_start = line == 0 || s[line - 1] == '\n';
    const bool line_ends = e == s.size() || s[e] == '\n' || (s[e] == '\r' && e + 1 < s.size());
    if (at_line_start && line_ends && s.substr(line, kImport.size()) == kImport) {
      imported = true;
      continue;
    }
    return false;
  }
  return imported;
}

}  // namespace flakegrab::python
