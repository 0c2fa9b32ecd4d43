#include "grabber/python/regions.h"

#include <limits>
#include <unordered_map>

namespace flakegrab::python {
namespace {

// One logical line: a statement line with its continuation lines (brackets, backslashes,
// triple-quoted strings).
struct Line {
  uint32_t begin = 0;  // the physical line's first byte (its indentation included)
  uint32_t end = 0;    // the byte of the newline that ends it (or the source's end)
  uint32_t begin_row = 0;
  uint32_t end_row = 0;
  uint32_t end_col = 0;
  uint32_t indent = 0;    // spaces before its first token
  bool opens = false;     // its last token is `:`: a compound statement's header
  bool at = false;        // a decorator
  char kind = 'o';        // 'd' def (async too), 'c' class, 'o' anything else
  std::string_view name;  // a def's name
  std::string_view word;  // its first word
};

bool ident_char(char ch) {
  auto u = static_cast<unsigned char>(ch);
  return u >= 0x80 || u == '_' || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
         (u >= '0' && u <= '9');
}

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  std::optional<std::vector<Line>> lines() {
    // Python reads a lone carriage return as a line end and a form feed as an indentation
    // reset; neither is worth modelling here.
    for (size_t p = s_.find_first_of("\r\f"); p != std::string_view::npos;
         p = s_.find_first_of("\r\f", p + 1))
      if (s_[p] == '\f' || p + 1 >= s_.size() || s_[p + 1] != '\n') return std::nullopt;
    std::vector<Line> out;
    while (i_ < s_.size()) {
      const size_t line_begin = i_;
      const uint32_t line_row = row_;
      uint32_t indent = 0;
      while (i_ < s_.size() && s_[i_] == ' ') ++i_, ++indent;
      if (i_ >= s_.size()) break;
      const char ch = s_[i_];
      if (ch == '\t') return std::nullopt;
      if (ch == '\n' || ch == '\r' || ch == '#') {  // blank or comment-only: no statement
        skip_to_newline();
        newline();
        continue;
      }
      Line l;
      l.begin = static_cast<uint32_t>(line_begin);
      l.begin_row = line_row;
      l.indent = indent;
      l.at = ch == '@';
      classify(l);
      if (!statement(l)) return std::nullopt;
      out.push_back(l);
      newline();
    }
    return out;
  }

 private:
  void skip_to_newline() {
    while (i_ < s_.size() && s_[i_] != '\n') ++i_;
  }
  // Steps over the newline at i_, if any.
  void newline() {
    if (i_ < s_.size()) {
      ++i_;
      ++row_;
      row_begin_ = i_;
    }
  }
  std::string_view word_at(size_t p) const {
    size_t e = p;
    while (e < s_.size() && ident_char(s_[e])) ++e;
    return s_.substr(p, e - p);
  }
  size_t skip_spaces(size_t p) const {
    while (p < s_.size() && s_[p] == ' ') ++p;
    return p;
  }
  void classify(Line& l) const {
    size_t p = i_;
    std::string_view w = word_at(p);
    l.word = w;
    if (w == "async") {
      size_t q = skip_spaces(p + w.size());
      if (q == p + w.size()) return;
      p = q;
      w = word_at(p);
      if (w != "def") return;
    }
    if (w != "def" && w != "class") return;
    size_t q = skip_spaces(p + w.size());
    if (q == p + w.size()) return;
    l.kind = w == "def" ? 'd' : 'c';
    l.name = word_at(q);
  }
  // A string literal starting at i_ (a quote); false when it does not end.
  bool string() {
    const char q = s_[i_];
    const size_t n = s_.size();
    const bool triple = i_ + 2 < n && s_[i_ + 1] == q && s_[i_ + 2] == q;
    size_t j = i_ + (triple ? 3 : 1);
    while (j < n) {
      const char c = s_[j];
      if (c == '\\') {
        if (j + 1 < n && s_[j + 1] == '\n') {
          ++row_;
          row_begin_ = j + 2;
        } else if (j + 2 < n && s_[j + 1] == '\r' && s_[j + 2] == '\n') {
          ++row_;
          row_begin_ = j + 3;
          ++j;
        }
        j += 2;
        continue;
      }
      if (c == '\n') {
        if (!triple) return false;
        ++row_;
        row_begin_ = j + 1;
      } else if (c == q && (!triple || (j + 2 < n && s_[j + 1] == q && s_[j + 2] == q))) {
        i_ = j + (triple ? 3 : 1);
        return true;
      }
      ++j;
    }
    return false;
  }
  // The rest of the logical line starting at i_; false when a bracket or string stays open.
  bool statement(Line& l) {
    int depth = 0;
    char last = 0;
    const size_t n = s_.size();
    while (i_ < n) {
      const char c = s_[i_];
      if (c == '#') {
        skip_to_newline();
        continue;
      }
      if (c == '\\' && i_ + 1 < n && (s_[i_ + 1] == '\n' || s_[i_ + 1] == '\r')) {
        i_ += s_[i_ + 1] == '\r' ? 3 : 2;
        ++row_;
        row_begin_ = i_;
        continue;
      }
      if (c == '\n') {
        if (depth == 0) break;
        ++i_;
        ++row_;
        row_begin_ = i_;
        continue;
      }
      if (c == '"' || c == '\'') {
        if (!string()) return false;
        last = c;
        continue;
      }
      if (c == '(' || c == '[' || c == '{') ++depth;
      if ((c == ')' || c == ']' || c == '}') && --depth < 0) return false;
      if (c != ' ' && c != '\r' && c != '\t') last = c;
      ++i_;
    }
    if (depth != 0) return false;
    l.end = static_cast<uint32_t>(i_);
    l.end_row = row_;
    l.end_col = static_cast<uint32_t>(i_ - row_begin_);
    l.opens = last == ':';
    return true;
  }

  std::string_view s_;
  size_t i_ = 0;
  uint32_t row_ = 0;
  size_t row_begin_ = 0;
};

constexpr const char* kSetupFunctions[] = {"setUp",         "setUpClass",  "setup_method",
                                           "setup_class",   "setUpModule", "setup_module",
                                           "setup_function"};

// How often each identifier-shaped word occurs in the source, strings and comments included.
std::unordered_map<std::string_view, int> word_counts(std::string_view s) {
  std::unordered_map<std::string_view, int> counts;
  for (size_t i = 0; i < s.size();) {
    if (!ident_char(s[i])) {
      ++i;
      continue;
    }
    size_t e = i;
    while (e < s.size() && ident_char(s[e])) ++e;
    ++counts[s.substr(i, e - i)];
    i = e;
  }
  return counts;
}

}  // namespace

std::optional<std::vector<Elided>> elided_bodies(std::string_view source,
                                                 const std::vector<std::string>& words,
                                                 Bodies kept_for) {
  if (source.size() >= std::numeric_limits<uint32_t>::max()) return std::nullopt;
  auto lines = Lexer(source).lines();
  if (!lines) return std::nullopt;
  const std::vector<Line>& ls = *lines;
  std::optional<std::unordered_map<std::string_view, int>> counts;
  std::vector<Elided> out;

  struct Level {
    uint32_t indent;
    char kind;  // of the header that opened it; 'm' for the module
  };
  std::vector<Level> levels{{0, 'm'}};
  const Line* header = nullptr;  // the previous line, when it opened a block
  size_t elided_until = 0;       // lines before this one are inside a body left out
  for (size_t k = 0; k < ls.size(); ++k) {
    const Line& l = ls[k];
    // Python's indentation rules; a breach is a syntax error the full parse has to report.
    if (header) {
      if (l.indent <= levels.back().indent) return std::nullopt;
      levels.push_back({l.indent, header->kind});
    } else if (l.indent > levels.back().indent) {
      return std::nullopt;
    }
    while (levels.back().indent > l.indent) levels.pop_back();
    if (levels.back().indent != l.indent) return std::nullopt;
    header = l.opens ? &l : nullptr;
    if (k < elided_until || l.kind != 'd' || !l.opens) continue;
    bool module_level = true, in_class = false;
    for (const Level& v : levels) {
      module_level = module_level && (v.kind == 'm' || v.kind == 'o');
      in_class = in_class || v.kind == 'c';
    }
    // Inside a function whose body is kept, or a helper's function: summarized.
    if (!module_level && !in_class) continue;
    if (module_level && kept_for == Bodies::summary) continue;

    // The body: the lines after the header deeper than it.
    size_t m = k + 1;
    while (m < ls.size() && ls[m].indent > l.indent) ++m;
    // Its first statement stays, with the first statement of each block it opens.
    size_t j = k + 1;
    bool ok = j < m;
    // A `try` block needs its `except` or `finally`: a body starting with one is kept.
    while (ok && !ls[j].at && ls[j].opens && ls[j].word != "try") {
      if (j + 1 < m && ls[j + 1].indent > ls[j].indent)
        ++j;
      else
        ok = false;
    }
    if (!ok || ls[j].at || ls[j].word == "try" || j + 1 >= m) continue;
    const Line& first = ls[j + 1];
    const Line& last = ls[m - 1];
    std::string_view body = source.substr(first.begin, last.end - first.begin);
    bool needed = false;
    for (const auto& w : words) needed = needed || body.find(w) != std::string_view::npos;
    if (!needed && module_level) {
      if (!counts) counts = word_counts(source);
      auto it = counts->find(l.name);
      needed = it == counts->end() || it->second != 1;
    }
    // An xunit setup function is read whole: whether it calls `super().setUp()` decides
    // whether an ancestor's setUp, and its skips, run too.
    for (const char* setup : kSetupFunctions) needed = needed || l.name == setup;
    if (needed) continue;
    out.push_back({first.begin, last.end, {first.begin_row, 0}, {last.end_row, last.end_col}});
    elided_until = m;
  }
  if (header) return std::nullopt;  // a header without a body at the end
  return out;
}

}  // namespace flakegrab::python
