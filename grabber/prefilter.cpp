#include "grabber/prefilter.h"

#include <re2/re2.h>

namespace flakegrab {

Prefilter::Prefilter(const ScanConfig& config) {
  // Every marker the extractor can report is written with one of these words in the file:
  // a configured name, or the generic pytest/unittest vocabulary around it.
  std::string pattern = "mark|skip|xfail|pytestmark|importorskip|skipTest|expectedFailure|fixture";
  for (const auto& [name, kind] : config.markers) pattern.append("|").append(RE2::QuoteMeta(name));
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_max_mem(64 << 20);
  re_ = std::make_unique<RE2>(pattern, opts);
}

Prefilter::~Prefilter() = default;

bool Prefilter::may_contain_marker(std::string_view source) const {
  if (!re_->ok()) return true;  // never drop a file because of our own pattern
  return RE2::PartialMatch(re2::StringPiece(source.data(), source.size()), *re_);
}

}  // namespace flakegrab
