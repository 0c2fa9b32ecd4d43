#pragma once
// A single RE2 that tells whether a file could contain a marker at all, so files that
// cannot are never parsed.
#include <memory>
#include <string_view>

#include "grabber/grabber.h"

namespace re2 {
class RE2;
}

namespace flakegrab {

class Prefilter {
 public:
  explicit Prefilter(const ScanConfig& config);
  ~Prefilter();
  Prefilter(const Prefilter&) = delete;
  Prefilter& operator=(const Prefilter&) = delete;
  bool may_contain_marker(std::string_view source) const;

 private:
  std::unique_ptr<re2::RE2> re_;
};

}  // namespace flakegrab
