// libFuzzer harness: arbitrary bytes through the flake-history bundle reader and the history
// built from it. Bad input must come back as flakegrab::Error naming the source (and the field),
// never as a crash or another exception; what reads must only reference runs it has.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "base/error.h"
#include "correlate/bundle.h"

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "bundle_fuzzer: invariant violated: %s (%s)\n", what, detail.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace flakegrab::correlate;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Bundle b;
  try {
    b = parse_bundle(text, "bundle.json");
  } catch (const flakegrab::Error& e) {
    if (std::string_view(e.what()).rfind("bundle.json: ", 0) != 0)
      fail("errors name the bundle", e.what());
    return 0;
  }
  std::set<std::string> runs;
  for (const auto& r : b.runs)
    if (!runs.insert(r.run_id).second) fail("run ids are unique", r.run_id);
  History h = history_from_bundle(b);
  for (const auto& t : h.tests) {
    for (const auto& ro : t.runs)
      if (!runs.count(ro.run_id)) fail("outcomes reference known runs", ro.run_id);
  }
  return 0;
}
