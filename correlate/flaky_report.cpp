#include "correlate/flaky_report.h"

#include <filesystem>

#include "base/error.h"
#include "base/read_file.h"

namespace flakegrab::correlate {
namespace {

constexpr std::string_view kBegin = "===Flaky Test Report===";
constexpr std::string_view kEnd = "===End Flaky Test Report===";

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The test name before `marker`, which the plugin writes right after it. Item names may hold
// spaces and parentheses (parametrize ids), so the last occurrence is the separator.
std::string_view name_before(std::string_view line, std::string_view marker) {
  auto at = line.rfind(marker);
  return at == std::string_view::npos || at == 0 ? std::string_view{} : line.substr(0, at);
}

void read_line(std::string_view line, FlakyReport& r) {
  // Exception details follow each failure on lines indented by a tab.
  if (line.empty() || line.front() == '\t' || line.front() == ' ') return;
  if (ends_with(line, " times. Success!") || ends_with(line, " times. ") ||
      line.find(" times. Running test again until it passes ") != std::string_view::npos) {
    if (auto n = name_before(line, " passed "); !n.empty()) ++r.tests[std::string(n)].passes;
    return;
  }
  if (ends_with(line, ").") && line.find(" runs remaining out of ") != std::string_view::npos) {
    if (auto n = name_before(line, " failed ("); !n.empty())
      ++r.tests[std::string(n)].retried_failures;
    return;
  }
  if (line.find(" failed; it passed ") != std::string_view::npos) {
    if (auto n = name_before(line, " failed; it passed "); !n.empty())
      r.tests[std::string(n)].final_failure = true;
    return;
  }
  if (ends_with(line, " failed and was not selected for rerun.")) {
    if (auto n = name_before(line, " failed and was not selected for rerun."); !n.empty())
      r.tests[std::string(n)].final_failure = true;
  }
}

}  // namespace

FlakyReport parse_flaky_report(std::string_view log, const std::string& path) {
  FlakyReport r;
  r.path = path;
  bool inside = false;
  std::size_t pos = 0;
  while (pos <= log.size()) {
    std::size_t nl = log.find('\n', pos);
    std::string_view line = log.substr(pos, nl == std::string_view::npos ? log.npos : nl - pos);
    pos = nl == std::string_view::npos ? log.size() + 1 : nl + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line == kBegin) {
      inside = r.found = true;
    } else if (line == kEnd) {
      inside = false;
    } else if (inside) {
      read_line(line, r);
    }
  }
  return r;
}

FlakyReport read_flaky_report(const std::string& path) {
  return parse_flaky_report(read_whole_file(path), path);
}

std::vector<std::string> attach_flaky_reports(std::vector<JunitReport>& reports,
                                              const std::vector<FlakyReport>& logs) {
  namespace fs = std::filesystem;
  std::vector<std::string> warnings;
  for (const auto& log : logs) {
    const fs::path lp(log.path);
    std::vector<JunitReport*> same_dir;
    for (auto& r : reports)
      if (fs::path(r.path).parent_path() == lp.parent_path()) same_dir.push_back(&r);
    JunitReport* run = same_dir.size() == 1 ? same_dir.front() : nullptr;
    for (auto* r : same_dir)
      if (!run && fs::path(r->path).stem() == lp.stem()) run = r;
    if (!run)
      throw Error(log.path + ": no JUnit report to pair this flaky report with (" +
                  std::to_string(same_dir.size()) +
                  " in its directory; give the log the report's name, e.g. junit.log for "
                  "junit.xml)");
    if (!log.found) {
      warnings.push_back(log.path + ": no " + std::string(kBegin) +
                         " section (no @flaky test ran, or pytest ran with --no-flaky-report)");
      continue;
    }
    for (const auto& [name, attempts] : log.tests) {
      if (attempts.retried_failures == 0) continue;
      std::vector<JunitCase*> found;
      for (auto& c : run->cases)
        if (c.name == name) found.push_back(&c);
      if (found.size() != 1) {
        warnings.push_back(log.path + ": " + name + " retried " +
                           std::to_string(attempts.retried_failures) + "x, but " + run->path +
                           (found.empty()
                                ? " has no test of that name"
                                : " has " + std::to_string(found.size()) + " tests of that name") +
                           "; not counted");
        continue;
      }
      JunitCase& c = *found.front();
      c.reruns += attempts.retried_failures;
      if (c.outcome == Outcome::pass) c.outcome = Outcome::flaky;
    }
  }
  return warnings;
}

std::vector<std::string> attach_flaky_report_files(std::vector<JunitReport>& reports,
                                                   const std::vector<std::string>& paths) {
  std::vector<FlakyReport> logs;
  for (const auto& p : paths) logs.push_back(read_flaky_report(p));
  return attach_flaky_reports(reports, logs);
}

}  // namespace flakegrab::correlate
