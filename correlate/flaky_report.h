#pragma once
// The `flaky` plugin (box/flaky) reruns a failing @flaky test inside one pytest run and hands only
// the last attempt to pytest's reporters, so a JUnit report shows a plain pass. The retried
// failures are written only to its "===Flaky Test Report===" in the terminal output; reading that
// output is the only way to count them as flaky evidence.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "correlate/junit.h"

namespace flakegrab::correlate {

struct FlakyAttempts {
  int retried_failures = 0;    // "NAME failed (N runs remaining out of M)."
  bool final_failure = false;  // "NAME failed; it passed ..." or "... was not selected for rerun."
  int passes = 0;              // "NAME passed N out of the required M times. ..."
};

struct FlakyReport {
  std::string path;
  bool found = false;  // the log held a report section (none is printed when no @flaky test ran)
  // Keyed by pytest's item name ("test_x[1-2]"): the plugin writes no module or class.
  std::map<std::string, FlakyAttempts> tests;
};

// Reads every report section of a pytest terminal log (xdist workers' reports are concatenated
// into one section by the plugin; several sessions in one log give several sections).
FlakyReport parse_flaky_report(std::string_view log, const std::string& path);
// Reads the file; throws flakegrab::Error naming it when it cannot be read.
FlakyReport read_flaky_report(const std::string& path);

// Adds each log's retried failures to the JUnit report of the same run: the report in the log's
// directory (the one with the log's stem when there are several). A pass with retried failures
// becomes flaky. Names the report does not hold once are warnings (a leaf name shared by two
// tests is not guessed). Throws flakegrab::Error naming the log when no report pairs with it.
std::vector<std::string> attach_flaky_reports(std::vector<JunitReport>& reports,
                                              const std::vector<FlakyReport>& logs);
// Reads each log named by `paths` (`--flaky-report`) and attaches them all.
std::vector<std::string> attach_flaky_report_files(std::vector<JunitReport>& reports,
                                                   const std::vector<std::string>& paths);

}  // namespace flakegrab::correlate
