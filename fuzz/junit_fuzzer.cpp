// libFuzzer harness: arbitrary bytes through the JUnit XML reader and the history built from
// it. Bad XML must come back as flakegrab::Error naming the report, never as a crash, a hang or
// an escaping exception of another type; what reads must turn into a consistent history.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "base/error.h"
#include "correlate/junit.h"

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "junit_fuzzer: invariant violated: %s (%s)\n", what, detail.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace flakegrab::correlate;
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  JunitReport r;
  try {
    r = parse_junit(xml, "reports/junit.xml");
  } catch (const flakegrab::Error& e) {
    if (std::string_view(e.what()).rfind("reports/junit.xml: ", 0) != 0)
      fail("errors name the report", e.what());
    return 0;
  }
  for (const auto& c : r.cases)
    if (c.name.empty()) fail("every case has a name", c.classname);
  History h = history_from_junit({r}, {});
  std::size_t outcomes = 0;
  for (const auto& t : h.tests) outcomes += t.runs.size();
  if (outcomes > r.cases.size()) fail("at most one outcome per case", std::to_string(outcomes));
  if (!r.cases.empty() && h.runs.size() != 1) fail("one report is one run", r.path);
  return 0;
}
