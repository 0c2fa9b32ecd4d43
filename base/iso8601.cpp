#include "base/iso8601.h"

#include <cstdio>
#include <ctime>

namespace flakegrab {

std::string format_iso8601(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string utc_now_iso8601() {
  return format_iso8601(std::time(nullptr));
}

}  // namespace flakegrab
