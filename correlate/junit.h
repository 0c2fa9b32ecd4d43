#pragma once
// JUnit XML reports (pytest, unittest-xmlrunner, PyTorch style) and what they say per test.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "correlate/history.h"

namespace flakegrab::correlate {

struct JunitCase {
  std::string classname, name, file;
  double time = 0;
  Outcome outcome = Outcome::pass;
  int reruns = 0;  // <rerun>/<flakyFailure>/<flakyError> children
};

struct JunitReport {
  std::string path;
  std::string suite;  // first <testsuite name> minus xmlrunner's "-YYYYMMDDhhmmss"; "" when absent
  std::string timestamp;  // first <testsuite timestamp>, normalised to UTC ("" when absent)
  std::string hostname;
  // From <testsuite><properties>: source_branch / branch / git_branch, and source_revision /
  // revision / commit / git_commit (pytest's record_testsuite_property); "" when absent.
  std::string branch, revision;
  double time = -1;  // sum of <testsuite time>, -1 when absent
  std::vector<JunitCase> cases;
  std::vector<std::string> warnings;  // e.g. a <testcase> without a name, which is skipped
};

struct JunitReadResult {
  std::vector<JunitReport> reports;   // in input order
  std::vector<std::string> warnings;  // one line per skipped/malformed input
  int malformed = 0;                  // reports that could not be parsed
  int missing = 0;                    // inputs that named nothing
};

// Throws flakegrab::Error naming `path` when the XML is malformed or has no <testsuite>.
JunitReport parse_junit(std::string_view xml, const std::string& path);

// Inputs are files, directories (every *.xml below) or glob(3) patterns. Reports are parsed
// in parallel; malformed ones become warnings and are counted, never fatal.
JunitReadResult read_junit(const std::vector<std::string>& inputs, unsigned threads = 0);

enum class RunGrouping { file, directory };

struct JunitHistoryOptions {
  RunGrouping grouping = RunGrouping::file;
  std::string suite;  // overrides every report's suite label when not ""
};

// One run per report file (or per directory of reports); run ids are stable hashes of the
// last two parts of the report (or directory) path, the timestamp and the hostname.
History history_from_junit(const std::vector<JunitReport>& reports,
                           const JunitHistoryOptions& options);

}  // namespace flakegrab::correlate
