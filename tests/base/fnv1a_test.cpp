#include "base/fnv1a.h"

#include <gtest/gtest.h>

namespace flakegrab {
namespace {

// Published FNV-1a 64 test vectors (offset basis 14695981039346656037).
TEST(Fnv1a, StandardVectors) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ULL);
}

TEST(Fnv1a, SeedChainsPieces) {
  EXPECT_EQ(fnv1a64("bar", fnv1a64("foo")), fnv1a64("foobar"));
}

}  // namespace
}  // namespace flakegrab
