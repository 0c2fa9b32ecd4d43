#include "base/url_text.h"

#include <gtest/gtest.h>

namespace flakegrab {
namespace {

TEST(UrlText, PercentEncodeKeepsUnreservedAndWhatItIsToldTo) {
  EXPECT_EQ(percent_encode("group/sub proj"), "group%2Fsub%20proj");  // a GitLab project path
  EXPECT_EQ(percent_encode("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(percent_encode("x,y&z=1"), "x%2Cy%26z%3D1");
  EXPECT_EQ(percent_encode("x,y&z=1", ","), "x,y%26z%3D1");  // serve's next-page links
  EXPECT_EQ(percent_encode("\xff\n"), "%FF%0A");
}

TEST(UrlText, PercentDecodeLeavesMalformedEscapesAlone) {
  EXPECT_EQ(percent_decode("p%40ss%3Aw%2f"), "p@ss:w/");
  EXPECT_EQ(percent_decode("100%"), "100%");
  EXPECT_EQ(percent_decode("%4"), "%4");
  EXPECT_EQ(percent_decode("%zz%41"), "%zzA");
  EXPECT_EQ(percent_decode(percent_encode("a b/c%d")), "a b/c%d");
}

TEST(UrlText, StartsWithIgnoringCase) {
  EXPECT_TRUE(starts_with_ci("SSH", "ssh"));
  EXPECT_TRUE(starts_with_ci("Git+SSH", "git+ssh"));
  EXPECT_FALSE(starts_with_ci("ss", "ssh"));
  EXPECT_FALSE(starts_with_ci("https", "ssh"));
}

}  // namespace
}  // namespace flakegrab
