#include "correlate/verdict_kind.h"

namespace flakegrab::correlate {

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::unmute:
      return "unmute";
    case Verdict::keep:
      return "keep";
    case Verdict::mute:
      return "mute";
    case Verdict::fix:
      return "fix";
    case Verdict::orphan:
      return "orphan";
    case Verdict::no_signal:
      return "no_signal";
    case Verdict::ok:
      return "ok";
    case Verdict::ignored:
      return "ignored";
  }
  return "unknown";
}

std::string_view to_string(FlakeClass c) {
  switch (c) {
    case FlakeClass::no_data:
      return "no_data";
    case FlakeClass::stable:
      return "stable";
    case FlakeClass::intermittent:
      return "intermittent";
    case FlakeClass::actively_flaky:
      return "actively_flaky";
    case FlakeClass::broken:
      return "broken";
  }
  return "unknown";
}

FlakeClass classify_flake(std::int64_t pass_count, std::int64_t fail_count) {
  if (fail_count == 0) return FlakeClass::stable;
  double rate = static_cast<double>(pass_count) / static_cast<double>(pass_count + fail_count);
  if (rate >= 0.95) return FlakeClass::stable;
  if (rate >= 0.5) return FlakeClass::intermittent;
  if (rate > 0) return FlakeClass::actively_flaky;
  return FlakeClass::broken;
}

bool is_flaky(FlakeClass c) {
  return c == FlakeClass::intermittent || c == FlakeClass::actively_flaky;
}

}  // namespace flakegrab::correlate
