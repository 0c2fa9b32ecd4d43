#pragma once
// Exact (Clopper-Pearson) one-sided confidence bounds on a failure rate, from `failures` out
// of `runs` independent runs, and how many clean runs a bound needs to fall below a rate.
namespace flakegrab::correlate {

// The p with P(X <= failures | runs, p) = 1 - confidence: the failure rate is at most this
// with `confidence`. 1 when runs == 0 or failures == runs. Needs 0 < confidence < 1.
double fail_rate_upper(int runs, int failures, double confidence);

// The p with P(X >= failures | runs, p) = 1 - confidence: the failure rate is at least this
// with `confidence`. 0 when failures == 0.
double fail_rate_lower(int runs, int failures, double confidence);

// The fewest further clean runs after which fail_rate_upper(runs + k, failures) <= max_rate
// and runs + k >= min_runs; 0 when already so. Needs 0 < max_rate.
int clean_runs_needed(int runs, int failures, double max_rate, double confidence, int min_runs = 0);

}  // namespace flakegrab::correlate
