#pragma once
// A per-test history built from either a bundle or JUnit reports: ordered runs with the
// test's real outcome in each.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flakegrab::correlate {

// What the test body really did. pytest's xfail report (<skipped type="pytest.xfail">) is a
// failure of the body; a strict XPASS (<failure> "[XPASS(strict)]") is a pass of the body.
enum class Outcome { pass, fail, error, skip, xfail, xpass, flaky };

std::string_view to_string(Outcome);
// Body passed (pass, xpass, flaky = passed on rerun).
bool is_pass(Outcome);
// Body failed (fail, error, xfail).
bool is_fail(Outcome);

struct RunInfo {
  std::string run_id;
  std::string started_at;          // UTC ISO 8601, "" when unknown
  std::string status = "unknown";  // complete | interrupted | unknown
  std::string suite;               // "" when unknown
  std::string runner_id;           // "" when unknown
  std::int64_t duration_seconds = -1;
  std::string branch;    // source branch of the run, "" when unknown
  std::string revision;  // source revision (commit) of the run, "" when unknown
  std::string excluded;  // not evidence: "infra" | "interrupted"; "" = counts
};

struct RunOutcome {
  std::string run_id;
  std::string started_at;
  std::string run_status;
  Outcome outcome = Outcome::pass;
  int reruns = 0;
};

struct TestHistory {
  std::string history_id;        // bundle test_id, or suite::nodeid for JUnit
  std::string nodeid;            // best pytest node id ("" when unknown)
  std::string classname;         // JUnit classname ("" when unknown)
  std::string name;              // leaf test name with parametrize id
  std::string suite;             // "" when unknown
  std::string file;              // JUnit `file` attribute ("" when unknown)
  std::vector<RunOutcome> runs;  // oldest first
};

struct History {
  std::vector<RunInfo> runs;  // oldest first
  std::vector<TestHistory> tests;
};

// Keeps only runs started within `days` days before `as_of` (ISO 8601); days <= 0 keeps all.
History restrict_window(const History& h, int days, const std::string& as_of);

// Orders runs by start time, then id (stable for equal times).
void sort_runs(History& h);
void sort_runs_by_time(std::vector<RunInfo>& runs);

}  // namespace flakegrab::correlate
