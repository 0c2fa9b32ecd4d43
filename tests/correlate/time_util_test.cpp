#include <gtest/gtest.h>

#include "correlate/time_util.h"

namespace flakegrab::correlate {
namespace {

TEST(TimeUtil, AcceptsReportAndBundleForms) {
  EXPECT_EQ(normalize_iso8601("2026-05-19T08:00:00.123456").value_or(""), "2026-05-19T08:00:00Z");
  EXPECT_EQ(normalize_iso8601("2026-05-21T10:00:00+02:00").value_or(""), "2026-05-21T08:00:00Z");
  EXPECT_EQ(normalize_iso8601("2026-05-21 10:00:00-0130").value_or(""), "2026-05-21T11:30:00Z");
  EXPECT_EQ(normalize_iso8601("2019-01-25").value_or(""), "2019-01-25T00:00:00Z");
  EXPECT_EQ(normalize_iso8601("2024-02-29T23:59:59Z").value_or(""), "2024-02-29T23:59:59Z");
}

TEST(TimeUtil, RejectsGarbage) {
  EXPECT_FALSE(parse_iso8601("").has_value());
  EXPECT_FALSE(parse_iso8601("yesterday").has_value());
  EXPECT_FALSE(parse_iso8601("2026-13-01").has_value());
  EXPECT_FALSE(parse_iso8601("2026-05-19T08:00:00Zjunk").has_value());
}

TEST(TimeUtil, DaysBetween) {
  auto a = parse_iso8601("2019-01-25");
  auto b = parse_iso8601("2026-05-22");
  ASSERT_TRUE(a && b);
  EXPECT_EQ((*b - *a) / 86400, 2674);
}

}  // namespace
}  // namespace flakegrab::correlate
