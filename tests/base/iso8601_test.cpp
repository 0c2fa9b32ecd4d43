#include "base/iso8601.h"

#include <gtest/gtest.h>

#include <ctime>

namespace flakegrab {
namespace {

TEST(Iso8601, FormatsUtcSeconds) {
  EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601(1548374400 + 3723), "2019-01-25T01:02:03Z");
}

TEST(Iso8601, NowIsTodayInUtc) {
  std::int64_t before = std::time(nullptr);
  std::string now = utc_now_iso8601();
  std::int64_t after = std::time(nullptr);
  EXPECT_TRUE(now == format_iso8601(before) || now == format_iso8601(after)) << now;
}

}  // namespace
}  // namespace flakegrab
