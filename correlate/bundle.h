#pragma once
// Reading, validating, writing and classifying flake-history bundles (schema v1).
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "correlate/bundle_model.h"
#include "correlate/history.h"

namespace flakegrab::correlate {

// Validates against the v1 schema and converts. Throws flakegrab::Error naming `source` and
// the field path, e.g. "b.json: tests[3].overall.pass_count: expected integer >= 0".
Bundle bundle_from_json(const nlohmann::json& doc, const std::string& source);
Bundle parse_bundle(std::string_view text, const std::string& source);
Bundle read_bundle_file(const std::filesystem::path& path);

nlohmann::json to_json(const Bundle& bundle);

// The contract's reference thresholds: stable (no failures or pass_rate >= 0.95),
// intermittent (0.5 <= pr < 0.95), actively_flaky (0 < pr < 0.5), broken (pr == 0, fails > 0).
std::string classify(std::int64_t pass_count, std::int64_t fail_count);
bool is_flaky_class(std::string_view classification);

// Per-test history from a bundle: passing runs are passes, failing runs failures, plus the
// additive skipped/rerun lists flakegrab writes.
History history_from_bundle(const Bundle& bundle);

}  // namespace flakegrab::correlate
