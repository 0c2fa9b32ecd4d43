#pragma once
// Reading, validating, writing and classifying flake-history bundles (schema v1).
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "correlate/bundle_model.h"
#include "correlate/history.h"
#include "correlate/verdict_kind.h"

namespace flakegrab::correlate {

// Validates against the v1 schema and converts. Throws flakegrab::Error naming `source` and
// the field path, e.g. "b.json: tests[3].overall.pass_count: expected integer >= 0".
Bundle bundle_from_json(const nlohmann::json& doc, const std::string& source);
Bundle parse_bundle(std::string_view text, const std::string& source);
Bundle read_bundle_file(const std::filesystem::path& path);

nlohmann::json to_json(const Bundle& bundle);

// classify_flake (correlate/verdict_kind.h) as the bundle's string.
std::string classify(std::int64_t pass_count, std::int64_t fail_count);
bool is_flaky_class(std::string_view classification);

// Per-test history from a bundle: passing runs are passes, failing runs failures, plus the
// additive skipped/rerun lists flakegrab writes.
History history_from_bundle(const Bundle& bundle);

}  // namespace flakegrab::correlate
