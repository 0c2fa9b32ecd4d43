#include "grabber/python/mark_words.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "grabber/python/internals.h"
#include "grabber/python/lexical.h"

namespace flakegrab::python {
namespace {

// `add_marker("xfail")` names its mark in a string (runtime_skips.cpp reads it); the call is
// what code spells.
bool names_mark(std::string_view word, const ScanConfig& config) {
  if (config.markers.find(word) != config.markers.end()) return true;
  if (word == "SkipTest" && config.markers.count("skipTest")) return true;
  if (!config.markers.empty())
    for (std::string_view adder : kMarkAdders)
      if (word == adder) return true;
  return extractor::mute_kind(word).has_value();
}

// Four bytes with bit 5 set: a letter in either case gives its lower case, and the same bytes
// always give the same key, so comparing keys never rules out a word that compares equal.
uint32_t fold4(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v | 0x20202020u;
}

// What a word must look like before the marker table and mute_kind's lower-cased copy are
// asked (this pass reads every module a test imports): its first four bytes, folded, are
// those of a configured name or of a word mute_kind takes (`retry`, `rerun*`, `flaky*`,
// `xfail_*`, `known_fail*`, `skip*`, `quarantine*`, `mute*`), or it ends in `_skip`/`_xfail`.
// Most identifiers (`self`, `result`, `np`) fail the first test.
struct WordFilter {
  std::vector<uint32_t> heads;
  std::array<bool, 4> short_names{};  // by length: a configured name shorter than four bytes
};

WordFilter word_filter(const ScanConfig& config) {
  WordFilter f;
  auto add = [&](std::string_view w) {
    if (w.size() < 4)
      f.short_names[w.size()] = true;
    else
      f.heads.push_back(fold4(w.data()));
  };
  for (const auto& [name, kind] : config.markers) add(name);
  for (std::string_view w : kMarkAdders) add(w);
  for (std::string_view w :
       {"SkipTest", "retry", "rerun", "flaky", "xfail", "known_fail", "skip", "quarantine", "mute"})
    add(w);
  std::sort(f.heads.begin(), f.heads.end());
  f.heads.erase(std::unique(f.heads.begin(), f.heads.end()), f.heads.end());
  return f;
}

bool may_name_mark(std::string_view w, const WordFilter& f) {
  if (w.size() < 4) return f.short_names[w.size()];
  if (std::find(f.heads.begin(), f.heads.end(), fold4(w.data())) != f.heads.end()) return true;
  auto ends_in = [&](std::string_view tail) {  // folded, as the head
    if (w.size() < tail.size()) return false;
    for (size_t i = 0; i < tail.size(); ++i)
      if ((w[w.size() - tail.size() + i] | 0x20) != (tail[i] | 0x20)) return false;
    return true;
  };
  return ends_in("_skip") || ends_in("_xfail");
}

// The identifiers of `s` that name a mark, as code_names_mark reads them.
class Words {
 public:
  explicit Words(const ScanConfig& config) : config_(config), filter_(word_filter(config)) {}

  bool in_code(std::string_view s) const {
    for (size_t i = 0; i < s.size();) {
      const char ch = s[i];
      if (ch == '#') {
        size_t nl = s.find('\n', i);
        if (nl == std::string_view::npos) break;
        i = nl + 1;
      } else if (ch == '"' || ch == '\'') {
        i = string_end(s, i);
        if (i == std::string_view::npos) return true;
      } else if (ident_char(ch)) {
        size_t e = i;
        while (e < s.size() && ident_char(s[e])) ++e;
        // A string prefix (r"", b'', f"") is part of the string that follows; an f-string's
        // replacement fields are code.
        if (e < s.size() && (s[e] == '"' || s[e] == '\'') && e - i <= 3) {
          const std::string_view prefix = s.substr(i, e - i);
          if (prefix.find_first_of("fF") == std::string_view::npos) {
            i = e;
            continue;
          }
          const size_t end = string_end(s, e);
          if (end == std::string_view::npos) return true;
          if (in_fields(s.substr(e, end - e))) return true;
          i = end;
          continue;
        }
        if (names(s.substr(i, e - i))) return true;
        i = e;
      } else {
        ++i;
      }
    }
    return false;
  }

 private:
  bool names(std::string_view w) const {
    return may_name_mark(w, filter_) && names_mark(w, config_);
  }

  // Every identifier between an f-string's braces (`{{` is a brace of the text), those of
  // strings inside them included: more than is code, never less.
  bool in_fields(std::string_view body) const {
    int depth = 0;
    for (size_t i = 0; i < body.size();) {
      const char ch = body[i];
      if (ch == '{' && depth == 0 && i + 1 < body.size() && body[i + 1] == '{') {
        i += 2;
      } else if (ch == '{') {
        ++depth;
        ++i;
      } else if (ch == '}') {
        depth = std::max(0, depth - 1);
        ++i;
      } else if (depth > 0 && (ch == '"' || ch == '\'')) {
        // A brace in a string of a field (`f"{d['}']}"`) closes nothing.
        const size_t end = string_end(body, i);
        if (end == std::string_view::npos) return true;
        if (any_word(body.substr(i, end - i))) return true;
        i = end;
      } else if (depth > 0 && ident_char(ch)) {
        i = word_end(body, i);
      } else {
        ++i;
      }
      if (i == std::string_view::npos) return true;
    }
    return false;
  }

  // Past the identifier at `i`, or npos when it names a mark.
  size_t word_end(std::string_view s, size_t i) const {
    size_t e = i;
    while (e < s.size() && ident_char(s[e])) ++e;
    return names(s.substr(i, e - i)) ? std::string_view::npos : e;
  }

  bool any_word(std::string_view s) const {
    return any_name(s, [&](size_t i, size_t e) { return names(s.substr(i, e - i)); });
  }

  const ScanConfig& config_;
  const WordFilter filter_;
};

}  // namespace

bool code_names_mark(std::string_view s, const ScanConfig& config) {
  return Words(config).in_code(s);
}

}  // namespace flakegrab::python
