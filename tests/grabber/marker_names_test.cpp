#include <gtest/gtest.h>

#include "grabber/grabber.h"

namespace flakegrab {

TEST(MarkerNames, KindsRoundTrip) {
  for (auto k : {MarkerKind::xfail, MarkerKind::skip, MarkerKind::skipif, MarkerKind::flaky,
                 MarkerKind::custom}) {
    EXPECT_EQ(marker_kind_from_string(to_string(k)), k);
  }
  EXPECT_FALSE(marker_kind_from_string("xfailflake").has_value());
  EXPECT_EQ(to_string(MarkerScope::klass), "class");
}

}  // namespace flakegrab
