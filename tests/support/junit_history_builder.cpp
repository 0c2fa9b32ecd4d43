#include "support/junit_history_builder.h"

#include <algorithm>
#include <cstdio>

#include "base/iso8601.h"
#include "support/process.h"

namespace flakegrab::test {
namespace {

std::string child_xml(const std::string& outcome) {
  if (outcome == "fail") return R"(<failure message="assert 0">boom</failure>)";
  if (outcome == "error") return R"(<error message="fixture failed"/>)";
  if (outcome == "skip") return R"(<skipped message="no db"/>)";
  if (outcome == "xfail") return R"(<skipped type="pytest.xfail" message="known"/>)";
  if (!outcome.empty() && outcome[0] == '<') return outcome;
  return "";
}

}  // namespace

JunitHistoryBuilder::JunitHistoryBuilder(int runs, std::int64_t first_day_epoch)
    : runs_(runs), first_(first_day_epoch) {}

JunitHistoryBuilder& JunitHistoryBuilder::test(const std::string& name, Outcome outcome) {
  tests_.emplace_back(name, std::move(outcome));
  return *this;
}

JunitHistoryBuilder& JunitHistoryBuilder::branch(std::function<std::string(int)> b) {
  branch_ = std::move(b);
  return *this;
}

JunitHistoryBuilder& JunitHistoryBuilder::revision(std::function<std::string(int)> r) {
  revision_ = std::move(r);
  return *this;
}

std::string JunitHistoryBuilder::timestamp(int run) const {
  return format_iso8601(first_ + static_cast<std::int64_t>(run) * 86400 + 7200);
}

void JunitHistoryBuilder::write(const std::filesystem::path& dir) const {
  std::filesystem::create_directories(dir);
  for (int i = 0; i < runs_; ++i) {
    std::string ts = timestamp(i);
    ts.pop_back();  // pytest writes local time without a zone; flakegrab reads it as UTC
    std::string xml = R"(<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite )"
                      R"(name="pytest" hostname="ci-1" time="1.0" timestamp=")" +
                      ts + R"(">)";
    if (branch_ || revision_) {
      xml += "<properties>";
      if (branch_ && !branch_(i).empty())
        xml += R"(<property name="source_branch" value=")" + branch_(i) + R"("/>)";
      if (revision_ && !revision_(i).empty())
        xml += R"(<property name="source_revision" value=")" + revision_(i) + R"("/>)";
      xml += "</properties>";
    }
    for (const auto& [name, outcome] : tests_) {
      std::string o = outcome(i);
      if (o.empty()) continue;
      xml += R"(<testcase classname="tests.test_gen" name=")" + name +
             R"(" file="tests/test_gen.py" time="0.01">)" + child_xml(o) + "</testcase>";
    }
    xml += "</testsuite></testsuites>\n";
    char file[32];
    std::snprintf(file, sizeof file, "run-%03d.xml", i);
    write_file(dir / file, xml);
  }
}

JunitHistoryBuilder::Outcome always(std::string outcome) {
  return [outcome](int) { return outcome; };
}

JunitHistoryBuilder::Outcome except(std::vector<int> runs, std::string bad) {
  return [runs, bad](int i) {
    return std::find(runs.begin(), runs.end(), i) != runs.end() ? bad : std::string("pass");
  };
}

JunitHistoryBuilder::Outcome last_runs(int n, int total) {
  return [n, total](int i) { return i >= total - n ? std::string("pass") : std::string(); };
}

}  // namespace flakegrab::test
