#pragma once
// ISO 8601 handling for report timestamps, bundle fields and marker `since` dates.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/iso8601.h"

namespace flakegrab::correlate {

// Seconds since the epoch. Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[.frac][Z|±HH:MM]"
// (a space instead of T too); no zone means UTC.
std::optional<std::int64_t> parse_iso8601(std::string_view text);

// "YYYY-MM-DDTHH:MM:SSZ" (base/iso8601.h).
using flakegrab::format_iso8601;

// Normalises any accepted form to "YYYY-MM-DDTHH:MM:SSZ"; nullopt when unparsable.
std::optional<std::string> normalize_iso8601(std::string_view text);

}  // namespace flakegrab::correlate
