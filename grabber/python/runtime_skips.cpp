// Runtime skips: the calls and raises by which a test (or the module, at import) skips or
// xfails itself while it runs, as pytest honours them: pytest.skip/xfail/importorskip(...),
// self.skipTest(...), and `raise unittest.SkipTest(...)` / `raise pytest.skip.Exception(...)`
// (what those calls raise; pytest turns a unittest.SkipTest into a skip of any test).
#include <algorithm>

#include "grabber/python/internals.h"

namespace flakegrab::extractor {
namespace {

// The names a runtime skip is spelled with, each enabled by the configured marker it counts
// as (`SkipTest` is what `self.skipTest` raises, so it counts as `skipTest`).
constexpr std::pair<const char*, const char*> kRuntimeWords[] = {
    {"skip", "skip"},         {"xfail", "xfail"},       {"importorskip", "importorskip"},
    {"skipTest", "skipTest"}, {"SkipTest", "skipTest"},
};

bool configured(const ScanConfig& cfg, std::string_view key) {
  return cfg.markers.count(std::string(key)) > 0;
}

}  // namespace

std::string runtime_call_name(const Resolved& r) {
  const std::string& q = r.qualified;
  if (q == "pytest.skip" || q == "pytest.xfail" || q == "pytest.importorskip") return q.substr(7);
  if (q == "self.skipTest" && !r.bound) return "skipTest";
  return {};
}

std::string runtime_raise_name(const Resolved& r) {
  const std::string& q = r.qualified;
  if (q == "pytest.skip.Exception") return "skip";
  if (q == "unittest.SkipTest" || q == "unittest.case.SkipTest") return "SkipTest";
  return {};
}

std::string runtime_config_key(const std::string& name) {
  return name == "SkipTest" ? "skipTest" : name;
}

std::optional<MarkCall> runtime_call(const ModuleContext& c, TSNode n) {
  const bool raise = type(n) == "raise_statement";
  if (!raise && type(n) != "call") return std::nullopt;
  TSNode expr = n;
  if (raise) {
    // `raise X(...)`, `raise X`, `raise X(...) from e`: the first named child is X.
    if (ts_node_named_child_count(n) == 0) return std::nullopt;
    expr = ts_node_named_child(n, 0);
  }
  auto q = resolve(c, raise ? expr : field(n, "function"));
  if (!q) return std::nullopt;
  std::string name = raise ? runtime_raise_name(*q) : runtime_call_name(*q);
  if (name.empty() || !configured(*c.cfg, runtime_config_key(name))) return std::nullopt;
  MarkCall r;
  r.name = name;
  r.line = line_of(n);
  r.kind = c.cfg->markers.at(runtime_config_key(name));
  if (!raise || type(expr) == "call") push_args(field(expr, "arguments"), r.args, c);
  return r;
}

std::vector<std::string> runtime_words(const ScanConfig& cfg) {
  std::vector<std::string> out;
  for (const auto& [word, key] : kRuntimeWords)
    if (configured(cfg, key)) out.emplace_back(word);
  return out;
}

bool names_runtime_skip(const ScanConfig& cfg, const std::string& qualified) {
  Resolved r{qualified, 2, true};
  std::string name = runtime_call_name(r);
  if (name.empty()) name = runtime_raise_name(r);
  return !name.empty() && configured(cfg, runtime_config_key(name));
}

}  // namespace flakegrab::extractor
