#include "grabber/python/mark_words.h"

#include <array>

#include "grabber/python/internals.h"
#include "grabber/python/lexical.h"

namespace flakegrab::python {
namespace {

bool names_mark(std::string_view word, const ScanConfig& config) {
  if (config.markers.find(word) != config.markers.end()) return true;
  if (word == "SkipTest" && config.markers.count("skipTest")) return true;
  return extractor::mute_kind(word).has_value();
}

// The first and last bytes a word naming a mark can have: a helper module's identifiers are
// mostly `self`, `np`, `result`, and ruling them out by one table look-up each spares the
// marker table and mute_kind's lower-cased copy (this pass reads every module a test imports).
struct WordEnds {
  std::array<bool, 256> first{};
  std::array<bool, 256> last{};
};

WordEnds word_ends(const ScanConfig& config) {
  WordEnds t;
  auto u = [](char ch) { return static_cast<unsigned char>(ch); };
  for (const auto& [name, kind] : config.markers)
    if (!name.empty()) t.first[u(name[0])] = true;
  t.first[u('S')] = true;  // SkipTest
  // mute_kind's words, in either case: retry, rerun, flaky, xfail_, known_fail, skip...,
  // quarantine, mute; and its suffixes `_xfail`, `_skip`.
  for (char ch : std::string_view("rfxksqm")) t.first[u(ch)] = t.first[u(ch - 'a' + 'A')] = true;
  for (char ch : std::string_view("lLpP")) t.last[u(ch)] = true;
  return t;
}

}  // namespace

bool code_names_mark(std::string_view s, const ScanConfig& config) {
  const WordEnds ends = word_ends(config);
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
      // A string prefix (r"", b'', f"") is part of the string that follows.
      if (e < s.size() && (s[e] == '"' || s[e] == '\'') && e - i <= 3) {
        i = e;
        continue;
      }
      if ((ends.first[static_cast<unsigned char>(s[i])] ||
           ends.last[static_cast<unsigned char>(s[e - 1])]) &&
          names_mark(s.substr(i, e - i), config))
        return true;
      i = e;
    } else {
      ++i;
    }
  }
  return false;
}

}  // namespace flakegrab::python
