#include <gtest/gtest.h>

#include "correlate/binomial_bounds.h"

namespace flakegrab::correlate {
namespace {

// Reference values: the beta quantiles of Clopper-Pearson, computed independently by summing
// binomial terms exactly (Python's math.comb) and bisecting.
TEST(BinomialBounds, ZeroFailuresIn59RunsIsAtMostFivePercent) {
  EXPECT_NEAR(fail_rate_upper(59, 0, 0.95), 0.049508, 1e-6);
  EXPECT_LE(fail_rate_upper(59, 0, 0.95), 0.05);
  EXPECT_NEAR(fail_rate_upper(58, 0, 0.95), 0.050339, 1e-6);
  EXPECT_GT(fail_rate_upper(58, 0, 0.95), 0.05);
  EXPECT_NEAR(fail_rate_upper(10, 0, 0.95), 0.258866, 1e-6);
}

TEST(BinomialBounds, UpperWithFailures) {
  EXPECT_NEAR(fail_rate_upper(20, 1, 0.95), 0.216106, 1e-6);
  EXPECT_NEAR(fail_rate_upper(200, 1, 0.95), 0.023498, 1e-6);
  EXPECT_NEAR(fail_rate_upper(200, 4, 0.95), 0.045180, 1e-6);
  EXPECT_NEAR(fail_rate_upper(3, 1, 0.95), 0.864650, 1e-6);
  EXPECT_NEAR(fail_rate_upper(10, 5, 0.95), 0.777559, 1e-6);
  EXPECT_EQ(fail_rate_upper(5, 5, 0.95), 1.0);
  EXPECT_EQ(fail_rate_upper(0, 0, 0.95), 1.0);
}

TEST(BinomialBounds, Lower) {
  EXPECT_EQ(fail_rate_lower(59, 0, 0.95), 0.0);
  EXPECT_NEAR(fail_rate_lower(200, 1, 0.95), 0.000256, 1e-6);
  EXPECT_NEAR(fail_rate_lower(200, 4, 0.95), 0.006860, 1e-6);
  EXPECT_NEAR(fail_rate_lower(20, 3, 0.95), 0.042169, 1e-6);
  EXPECT_NEAR(fail_rate_lower(10, 5, 0.95), 0.222441, 1e-6);
  EXPECT_NEAR(fail_rate_lower(3, 2, 0.95), 0.135350, 1e-6);
  EXPECT_NEAR(fail_rate_lower(4, 4, 0.95), 0.472871, 1e-6);  // 0.05^(1/4)
}

TEST(BinomialBounds, BoundsTightenWithRunsAndWithConfidenceLoosened) {
  for (int n = 2; n < 400; n += 7) {
    EXPECT_LT(fail_rate_upper(n + 1, 1, 0.95), fail_rate_upper(n, 1, 0.95)) << n;
    EXPECT_LT(fail_rate_lower(n, 1, 0.95), fail_rate_upper(n, 1, 0.95)) << n;
  }
  EXPECT_LT(fail_rate_upper(30, 2, 0.9), fail_rate_upper(30, 2, 0.99));
}

TEST(BinomialBounds, CleanRunsNeeded) {
  EXPECT_EQ(clean_runs_needed(0, 0, 0.05, 0.95), 59);
  EXPECT_EQ(clean_runs_needed(12, 0, 0.05, 0.95), 47);
  EXPECT_EQ(clean_runs_needed(59, 0, 0.05, 0.95), 0);
  EXPECT_EQ(clean_runs_needed(200, 0, 0.05, 0.95), 0);
  EXPECT_EQ(clean_runs_needed(3, 0, 0.05, 0.95, 100), 97);  // the floor
  EXPECT_EQ(clean_runs_needed(0, 0, 0.01, 0.99), 459);      // ln(0.01) / ln(0.99) = 458.2
  // One failure: the first n with upper(n, 1) <= 5% is 93.
  EXPECT_EQ(clean_runs_needed(10, 1, 0.05, 0.95), 83);
  EXPECT_LE(fail_rate_upper(93, 1, 0.95), 0.05);
  EXPECT_GT(fail_rate_upper(92, 1, 0.95), 0.05);
}

}  // namespace
}  // namespace flakegrab::correlate
