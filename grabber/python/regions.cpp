#include "grabber/python/regions.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include "grabber/python/argvalues.h"
#include "grabber/python/lexical.h"

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

constexpr int kMaxBlockDepth = 64;  // blocks nested deeper are kept whole

// The bytes Lexer::statement looks at one by one; the others (kOther) it only steps over.
enum : unsigned char { kOther, kSpecial };
constexpr std::array<unsigned char, 256> kByte = [] {
  std::array<unsigned char, 256> t{};
  for (unsigned char ch : std::string_view("#\\\n\"'()[]{} \r\t")) t[ch] = kSpecial;
  return t;
}();

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  std::optional<std::vector<Line>> lines() {
    // Python reads a lone carriage return as a line end and a form feed as an indentation
    // reset; neither is worth modelling here.
    // One memchr per character sought: find_first_of of a set tests the set at every byte.
    if (s_.find('\f') != std::string_view::npos) return std::nullopt;
    for (size_t p = s_.find('\r'); p != std::string_view::npos; p = s_.find('\r', p + 1))
      if (p + 1 >= s_.size() || s_[p + 1] != '\n') return std::nullopt;
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
      // Runs of plain bytes (names, operators, digits) in a tight loop: most of a line.
      if (kByte[static_cast<unsigned char>(s_[i_])] == kOther) {
        size_t j = i_ + 1;
        while (j < n && kByte[static_cast<unsigned char>(s_[j])] == kOther) ++j;
        last = s_[j - 1];
        i_ = j;
        continue;
      }
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

// How often the name of each `def` of the lines occurs as a word in the source, strings and
// comments included. Other words are not counted: most of a file's words are no def's name.
std::unordered_map<std::string_view, int> def_name_counts(std::string_view s,
                                                          const std::vector<Line>& ls) {
  // A word is looked up only when its first byte, last byte and length are a def name's: a
  // test module's names are mostly `self`, `df`, `result`, and hashing each cost more than the
  // pass itself.
  std::unordered_map<std::string_view, int> counts;
  std::array<bool, 256> first{}, last{};
  std::array<bool, 64> length{};  // names of 64 bytes or more are always looked up
  for (const Line& l : ls)
    if (l.kind == 'd' && !l.name.empty() && counts.emplace(l.name, 0).second) {
      first[static_cast<unsigned char>(l.name.front())] = true;
      last[static_cast<unsigned char>(l.name.back())] = true;
      length[std::min<size_t>(l.name.size(), 63)] = true;
    }
  any_name(s, [&](size_t i, size_t e) {
    if (length[std::min<size_t>(e - i, 63)] && first[static_cast<unsigned char>(s[i])] &&
        last[static_cast<unsigned char>(s[e - 1])])
      if (auto it = counts.find(s.substr(i, e - i)); it != counts.end()) ++it->second;
    return false;
  });
  return counts;
}

// A word that makes a statement on its own: a name, or a keyword that needs nothing after it.
// Python's other keywords, soft ones and Python 2's `print`/`exec` (which tree-sitter-python
// parses as statements) do not.
bool standalone(std::string_view w) {
  static const std::unordered_set<std::string_view> kNot = {
      "and",   "as",     "assert", "async", "await",   "class",    "def",  "del",
      "elif",  "else",   "except", "exec",  "finally", "for",      "from", "global",
      "if",    "import", "in",     "is",    "lambda",  "nonlocal", "not",  "or",
      "print", "while",  "with",   "match", "case",    "type",     "try",  "_"};
  if (w.empty() || (w[0] >= '0' && w[0] <= '9')) return false;
  return !kNot.count(w);
}

// The end of the block line `h` opens, within lines [h, b): the first line after it that is
// not indented deeper than it.
size_t block_end(const std::vector<Line>& ls, size_t h, size_t b) {
  size_t e = h + 1;
  while (e < b && ls[e].indent > ls[h].indent) ++e;
  return e;
}

// The first of the lines [a, b) that is a statement of the block (at its first line's
// indentation) starting with a standalone word; b when none.
size_t first_standalone(const std::vector<Line>& ls, size_t a, size_t b) {
  for (size_t i = a; i < b; ++i)
    if (ls[i].indent == ls[a].indent && !ls[i].at && standalone(ls[i].word)) return i;
  return b;
}

Elided lines_of(const std::vector<Line>& ls, size_t a, size_t b) {
  return {ls[a].begin, ls[b - 1].end, {ls[a].begin_row, 0}, {ls[b - 1].end_row, ls[b - 1].end_col}};
}

// Leaves out the lines [a, b) of a block but what the parse needs to see a block there: the
// first word that is a statement on its own (`result`, `return`: nothing else is read), else
// the first statement, a compound one's header kept with what its own block keeps this way.
// False when the block starts with a decorator or a `try` (whose clauses it would need).
bool keep_one(const std::vector<Line>& ls, size_t a, size_t b, std::vector<Elided>& out,
              int depth) {
  if (size_t i = first_standalone(ls, a, b); i < b) {
    const Line& w = ls[i];
    if (i > a) out.push_back({ls[a].begin, w.begin, {ls[a].begin_row, 0}, {w.begin_row, 0}});
    const auto cut = static_cast<uint32_t>(w.indent + w.word.size());
    const Line& last = ls[b - 1];
    if (w.begin + cut < last.end)
      out.push_back({w.begin + cut, last.end, {w.begin_row, cut}, {last.end_row, last.end_col}});
    return true;
  }
  const Line& h = ls[a];
  if (h.at || h.word == "try" || depth >= kMaxBlockDepth) return false;
  size_t e = a + 1;
  if (h.opens) {
    e = block_end(ls, a, b);
    if (e == a + 1 || !keep_one(ls, a + 1, e, out, depth + 1)) return false;
  }
  // What follows, clauses (`else:`) included: a compound statement is whole without them.
  if (e < b) out.push_back(lines_of(ls, e, b));
  return true;
}

// Whether one of the sorted offsets `at` falls in [begin, end).
bool holds_any(const std::vector<uint32_t>& at, uint32_t begin, uint32_t end) {
  auto it = std::lower_bound(at.begin(), at.end(), begin);
  return it != at.end() && *it < end;
}

bool is_clause(std::string_view word) {
  return word == "elif" || word == "else" || word == "except" || word == "finally";
}

// Within the block of lines [a, b), one indentation level: the runs of statements holding none
// of `words` are left out, keeping one statement at least (a block cannot be empty). A compound
// statement holding one keeps its header lines (whose tests make a skip's condition) and has
// each of its blocks looked at the same way; a `try` is kept whole (an except clause's
// condition reads its block), and so are nested definitions (with their decorators).
void elide_within(const std::vector<Line>& ls, size_t a, size_t b,
                  const std::vector<uint32_t>& word_at, std::vector<Elided>& out, int depth) {
  if (a >= b) return;
  const uint32_t indent = ls[a].indent;
  struct Stmt {
    size_t begin, end;
    bool held;
  };
  std::vector<Stmt> stmts;
  bool any = false;
  for (size_t i = a; i < b;) {
    size_t j = i;
    while (j + 1 < b && ls[j].at) ++j;  // decorators go with what they decorate
    size_t e = ls[j].opens ? block_end(ls, j, b) : j + 1;
    while (e < b && ls[e].indent == indent && is_clause(ls[e].word))
      e = ls[e].opens ? block_end(ls, e, b) : e + 1;
    const bool held = holds_any(word_at, ls[i].begin, ls[e - 1].end);
    stmts.push_back({i, e, held});
    any = any || held;
    i = e;
  }
  if (!any) stmts.front().held = true;
  size_t run = b;  // first line of the current run left out
  for (const Stmt& st : stmts) {
    if (!st.held) {
      if (run == b) run = st.begin;
      continue;
    }
    if (run != b) out.push_back(lines_of(ls, run, st.begin));
    run = b;
    const Line& head = ls[st.begin];
    if (head.at || head.kind != 'o' || head.word == "try" || depth >= kMaxBlockDepth) continue;
    for (size_t h = st.begin; h < st.end; h = block_end(ls, h, b))
      if (ls[h].opens && h + 1 < st.end && ls[h + 1].indent > indent)
        elide_within(ls, h + 1, block_end(ls, h, b), word_at, out, depth + 1);
  }
  if (run != b) out.push_back(lines_of(ls, run, b));
}

// Where `offset` of line `l` is, as tree-sitter counts it.
Point point_at(std::string_view s, const Line& l, uint32_t offset) {
  Point p{l.begin_row, 0};
  uint32_t row_begin = l.begin;
  for (uint32_t i = l.begin; i < offset; ++i)
    if (s[i] == '\n') ++p.row, row_begin = i + 1;
  p.column = offset - row_begin;
  return p;
}

// The plain argvalues displays (argvalues.h) of each `def` whose parametrizes are all plain,
// when every parametrize the source names is one on a `def`: no set of that def's stack can
// then carry a mark, and none of its item ids is read. Those holding one of `word_at` are kept.
std::vector<Elided> plain_argvalues(std::string_view s, const std::vector<Line>& ls,
                                    const std::vector<uint32_t>& word_at) {
  constexpr std::string_view kName = "parametrize";
  size_t written = 0;
  for (size_t p = s.find(kName); p != std::string_view::npos; p = s.find(kName, p + 1)) ++written;
  if (written == 0 || !pytest_is_plainly_imported(s)) return {};
  // With every parametrize of the file on a `def`, a test's stack is its own decorators: a set
  // that may carry a mark needs the ids of its own group only (`@parametrize("a", MARKED)`
  // over `@parametrize("b", ["x", "y"])` names items `[x-...]`), and other groups are free.
  std::vector<Elided> out, group;
  bool group_plain = true;
  auto close_group = [&] {
    if (group_plain) out.insert(out.end(), group.begin(), group.end());
    group.clear();
    group_plain = true;
  };
  size_t read = 0;
  size_t j = 0;  // the statement the decorators up to it decorate
  for (size_t k = 0; k < ls.size(); ++k) {
    const Line& l = ls[k];
    if (!l.at) continue;
    if (j <= k) {  // once per group of decorators: a stack of thousands stays linear
      close_group();
      for (j = k; j < ls.size() && ls[j].at;) ++j;
    }
    const Decorator d = read_decorator(s, l.begin + l.indent, l.end);
    if (!d.parametrize) continue;
    if (j == ls.size() || ls[j].kind != 'd' || ls[j].indent != l.indent) return {};
    ++read;
    if (!d.plain) {
      group_plain = false;
      continue;
    }
    const Interior v = *d.plain;
    // A short list costs the parse less than a range of its own costs the lexer.
    if (v.end - v.begin < 8 || holds_any(word_at, v.begin, v.end)) continue;
    group.push_back({v.begin, v.end, point_at(s, l, v.begin), point_at(s, l, v.end)});
  }
  close_group();
  if (read != written) return {};
  return out;
}

// `bodies` and `values` merged in source order, without the values inside a body.
std::vector<Elided> merged(const std::vector<Elided>& bodies, const std::vector<Elided>& values) {
  std::vector<Elided> out;
  out.reserve(bodies.size() + values.size());
  size_t b = 0;
  for (const Elided& v : values) {
    while (b < bodies.size() && bodies[b].end <= v.begin) out.push_back(bodies[b++]);
    if (b < bodies.size() && bodies[b].begin <= v.begin) continue;  // v.end <= bodies[b].end
    out.push_back(v);
  }
  while (b < bodies.size()) out.push_back(bodies[b++]);
  return out;
}

// tree-sitter's lexer looks for the included range it is in from the first one at every
// token, so a parse costs the tokens kept times the ranges before them: a module of 20,000
// small tests took 3.5x its whole parse. Past this many, the largest regions are left out
// and the others parsed (any of them may be kept: each is whole statements, or a statement's
// tail after a word that stands alone). Real suites' largest test modules have ~700.
constexpr size_t kMaxRanges = 256;

std::vector<Elided> at_most(std::vector<Elided> regions, size_t n) {
  if (regions.size() <= n) return regions;
  auto larger = [](const Elided& a, const Elided& b) { return a.end - a.begin > b.end - b.begin; };
  std::nth_element(regions.begin(), regions.begin() + static_cast<std::ptrdiff_t>(n), regions.end(),
                   larger);
  regions.resize(n);
  std::sort(regions.begin(), regions.end(),
            [](const Elided& a, const Elided& b) { return a.begin < b.begin; });
  return regions;
}

}  // namespace

std::vector<uint32_t> word_positions(std::string_view source,
                                     const std::vector<std::string>& words) {
  // A runtime skip is called by a whole name (`pytest.skip`, `sk` bound to it): pandas'
  // `skipna=True` names none, and keeping every body that passes it would parse a tenth more.
  // One pass over the names of the source: a search per word stops at every `s` of it.
  std::array<bool, 256> first{};
  size_t shortest = SIZE_MAX, longest = 0;
  for (const auto& w : words) {
    if (w.empty()) continue;
    first[static_cast<unsigned char>(w[0])] = true;
    shortest = std::min(shortest, w.size());
    longest = std::max(longest, w.size());
  }
  std::vector<uint32_t> at;
  any_name(source, [&](size_t i, size_t e) {
    if (first[static_cast<unsigned char>(source[i])] && e - i >= shortest && e - i <= longest &&
        std::find(words.begin(), words.end(), source.substr(i, e - i)) != words.end())
      at.push_back(static_cast<uint32_t>(i));
    return false;
  });
  return at;
}

std::optional<std::vector<Elided>> elided_bodies(std::string_view source,
                                                 const std::vector<std::string>& words,
                                                 Bodies kept_for) {
  if (source.size() >= std::numeric_limits<uint32_t>::max()) return std::nullopt;
  return elided_bodies(source, word_positions(source, words), kept_for);
}

std::optional<std::vector<Elided>> elided_bodies(std::string_view source,
                                                 const std::vector<uint32_t>& word_at,
                                                 Bodies kept_for, bool argvalues) {
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
    const size_t m = block_end(ls, k, ls.size());
    if (m == k + 1) continue;  // no body: the indentation check returns nullopt
    bool needed = false;
    if (module_level) {
      if (!counts) counts = def_name_counts(source, ls);
      auto it = counts->find(l.name);
      needed = it == counts->end() || it->second != 1;
    }
    // An xunit setup function is read whole: whether it calls `super().setUp()` decides
    // whether an ancestor's setUp, and its skips, run too.
    for (const char* setup : kSetupFunctions) needed = needed || l.name == setup;
    if (needed) continue;
    const Line& head = ls[k + 1];
    const Line& last = ls[m - 1];
    const std::string_view body = source.substr(head.begin, last.end - head.begin);
    if (holds_any(word_at, head.begin, last.end)) {
      // A body that may call a runtime skip keeps the statements that may, and the headers
      // around them; one that adds marks is kept whole (the mark may be a local assigned
      // anywhere before the call).
      bool adds = false;
      for (std::string_view w : kMarkAdders) adds = adds || body.find(w) != std::string_view::npos;
      if (adds) continue;
      elide_within(ls, k + 1, m, word_at, out, 0);
    } else {
      const size_t before = out.size();
      if (!keep_one(ls, k + 1, m, out, 0)) {
        out.resize(before);
        continue;
      }
    }
    elided_until = m;
  }
  if (header) return std::nullopt;  // a header without a body at the end
  if (argvalues && kept_for == Bodies::test_file)
    out = merged(out, plain_argvalues(source, ls, word_at));
  return at_most(std::move(out), kMaxRanges);
}

}  // namespace flakegrab::python
