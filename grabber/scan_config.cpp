#include <cstdint>
#include <string>

#include "base/fnv1a.h"
#include "grabber/grabber.h"

namespace flakegrab {

namespace {
// Bump when extractor logic changes so on-disk caches keyed by hash() are invalidated.
constexpr std::string_view kExtractorVersion = "extractor-29";

std::uint64_t fnv1a(std::uint64_t h, std::string_view s) {
  // A separator byte keeps ("ab","c") and ("a","bc") apart.
  return fnv1a64("\xff", fnv1a64(s, h));
}
}  // namespace

ScanConfig ScanConfig::defaults() {
  ScanConfig c;
  c.markers = {
      {"xfail", MarkerKind::xfail},       {"skip", MarkerKind::skip},
      {"skipif", MarkerKind::skipif},     {"xfailflake", MarkerKind::xfail},
      {"flaky", MarkerKind::flaky},       {"skipIf", MarkerKind::skipif},
      {"skipUnless", MarkerKind::skipif}, {"expectedFailure", MarkerKind::xfail},
      {"skipTest", MarkerKind::skip},     {"importorskip", MarkerKind::skip},
  };
  return c;
}

std::string ScanConfig::hash() const {
  std::uint64_t h = kFnv1aOffsetBasis;
  h = fnv1a(h, kExtractorVersion);
  for (const auto& [name, kind] : markers) {
    h = fnv1a(h, name);
    h = fnv1a(h, to_string(kind));
  }
  for (const auto* list : {&ticket_keys, &reason_keys, &since_keys, &python_files}) {
    h = fnv1a(h, "|");
    for (const auto& s : *list) h = fnv1a(h, s);
  }
  h = fnv1a(h, all_files ? "all" : "some");
  h = fnv1a(h, std::to_string(max_file_bytes));
  return hex64(h);
}

}  // namespace flakegrab
