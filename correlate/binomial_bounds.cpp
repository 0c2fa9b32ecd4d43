#include "correlate/binomial_bounds.h"

#include <algorithm>
#include <cmath>

namespace flakegrab::correlate {
namespace {

// P(X <= k) for X ~ Binomial(n, p), summed in log space so n in the thousands stays exact.
double binomial_cdf(int n, int k, double p) {
  if (k < 0) return 0;
  if (k >= n || p <= 0) return 1;
  if (p >= 1) return 0;
  const double lp = std::log(p), lq = std::log1p(-p);
  double lterm = n * lq;  // log P(X = 0)
  double sum = std::exp(lterm);
  for (int i = 0; i < k; ++i) {
    lterm += std::log(static_cast<double>(n - i) / (i + 1)) + lp - lq;  // -> log P(X = i + 1)
    sum += std::exp(lterm);
  }
  return std::min(1.0, sum);
}

// The p in [0, 1] where the decreasing function f(p) crosses `target`, by bisection.
template <typename F>
double solve_decreasing(F f, double target) {
  double lo = 0, hi = 1;
  for (int i = 0; i < 100 && hi - lo > 1e-12; ++i) {
    double mid = (lo + hi) / 2;
    (f(mid) > target ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

}  // namespace

double fail_rate_upper(int n, int f, double confidence) {
  if (n <= 0 || f >= n) return 1;
  const double alpha = 1 - confidence;
  // Closed form for the common case: (1 - p)^n = alpha.
  if (f <= 0) return -std::expm1(std::log(alpha) / n);
  return solve_decreasing([&](double p) { return binomial_cdf(n, f, p); }, alpha);
}

double fail_rate_lower(int n, int f, double confidence) {
  if (n <= 0 || f <= 0) return 0;
  const double alpha = 1 - confidence;
  if (f >= n) return std::exp(std::log(alpha) / n);  // p^n = alpha
  // P(X >= f | p) = 1 - P(X <= f - 1 | p) increases with p; find where it reaches alpha.
  return solve_decreasing([&](double p) { return binomial_cdf(n, f - 1, p); }, 1 - alpha);
}

int clean_runs_needed(int n, int f, double max_rate, double confidence, int min_runs) {
  n = std::max(n, 0);
  f = std::clamp(f, 0, n);
  auto enough = [&](long long k) {
    return n + k >= min_runs && fail_rate_upper(static_cast<int>(n + k), f, confidence) <= max_rate;
  };
  if (enough(0)) return 0;
  // The bound falls as clean runs are added: double until enough, then bisect.
  long long hi = 1;
  while (!enough(hi) && hi < (1LL << 30)) hi *= 2;
  long long lo = hi / 2;  // not enough (or 0)
  while (hi - lo > 1) {
    long long mid = (lo + hi) / 2;
    (enough(mid) ? hi : lo) = mid;
  }
  return static_cast<int>(hi);
}

}  // namespace flakegrab::correlate
