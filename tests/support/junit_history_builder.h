#pragma once
// Generated JUnit histories: N runs (one report file each, a day apart), per-test outcomes
// chosen by run index, and optional branch/revision per run as <testsuite> properties.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace flakegrab::test {

class JunitHistoryBuilder {
 public:
  // `runs` reports, the first at `first_day` 02:00 UTC, one a day after that.
  explicit JunitHistoryBuilder(int runs, std::int64_t first_day_epoch = 1767225600);  // 2026-01-01

  // What test `name` (in tests/test_gen.py) did in run i: "pass", "fail", "error", "skip",
  // "xfail", "" (absent from the report), or raw child XML ("<rerun/>...", a pass with it).
  using Outcome = std::function<std::string(int run)>;
  JunitHistoryBuilder& test(const std::string& name, Outcome outcome);
  JunitHistoryBuilder& branch(std::function<std::string(int run)> branch_of);
  JunitHistoryBuilder& revision(std::function<std::string(int run)> revision_of);
  // Writes dir/run-NNN.xml.
  void write(const std::filesystem::path& dir) const;

  // "YYYY-MM-DDT02:00:00Z" of run i.
  std::string timestamp(int run) const;

 private:
  int runs_;
  std::int64_t first_;
  std::vector<std::pair<std::string, Outcome>> tests_;
  std::function<std::string(int)> branch_, revision_;
};

// Outcome helpers: the same result every run, or `bad` in the listed runs and "pass" otherwise.
JunitHistoryBuilder::Outcome always(std::string outcome);
JunitHistoryBuilder::Outcome except(std::vector<int> runs, std::string bad = "fail");
// Present only in the last `n` of `total` runs, passing.
JunitHistoryBuilder::Outcome last_runs(int n, int total);

}  // namespace flakegrab::test
