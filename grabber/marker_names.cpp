#include "grabber/grabber.h"

namespace flakegrab {

std::string_view to_string(MarkerKind k) {
  switch (k) {
    case MarkerKind::xfail:
      return "xfail";
    case MarkerKind::skip:
      return "skip";
    case MarkerKind::skipif:
      return "skipif";
    case MarkerKind::flaky:
      return "flaky";
    case MarkerKind::custom:
      return "custom";
  }
  return "custom";
}

std::string_view to_string(MarkerScope s) {
  switch (s) {
    case MarkerScope::function:
      return "function";
    case MarkerScope::klass:
      return "class";
    case MarkerScope::module:
      return "module";
    case MarkerScope::param:
      return "param";
    case MarkerScope::runtime:
      return "runtime";
    case MarkerScope::fixture:
      return "fixture";
  }
  return "function";
}

std::optional<MarkerKind> marker_kind_from_string(std::string_view s) {
  for (auto k : {MarkerKind::xfail, MarkerKind::skip, MarkerKind::skipif, MarkerKind::flaky,
                 MarkerKind::custom}) {
    if (to_string(k) == s) return k;
  }
  return std::nullopt;
}

}  // namespace flakegrab
