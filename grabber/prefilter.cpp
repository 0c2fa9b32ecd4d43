#include "grabber/prefilter.h"

#include <re2/re2.h>

namespace flakegrab {

Prefilter::Prefilter(const ScanConfig& config) {
  // The extractor reports a marker only when the name it resolves (pytest.mark.NAME, an
  // imported or aliased NAME, unittest.NAME, pytest.NAME(...), self.NAME(...)) is a key of
  // config.markers, and that name is always source text of the file: the file must contain
  // one configured name. Generic words such as "mark" or "fixture" would let most real test
  // files (parametrize, fixtures) through to the parser for nothing.
  std::string pattern;
  for (const auto& [name, kind] : config.markers) {
    if (!pattern.empty()) pattern.append("|");
    pattern.append(RE2::QuoteMeta(name));
  }
  if (pattern.empty()) return;  // no names to look for: every file is parsed
  // `raise unittest.SkipTest(...)` counts as `skipTest` (what self.skipTest raises) without
  // spelling it (extractor::runtime_words).
  if (config.markers.count("skipTest")) pattern.append("|SkipTest");
  // Decorators nothing resolves, and pytest marks nothing configures, are still reported when
  // their name says mute or retry (extractor::mute_kind): each such name holds one of these
  // words, whatever the configuration names.
  pattern.append("|skip|xfail|flaky|known_fail|quarantine|mute|retry|rerun");
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_max_mem(64 << 20);
  re_ = std::make_unique<RE2>(pattern, opts);
}

Prefilter::~Prefilter() = default;

bool Prefilter::may_contain_marker(std::string_view source) const {
  if (!re_ || !re_->ok()) return true;  // never drop a file because of our own pattern
  return RE2::PartialMatch(re2::StringPiece(source.data(), source.size()), *re_);
}

}  // namespace flakegrab
