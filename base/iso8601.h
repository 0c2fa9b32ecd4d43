#pragma once
// Timestamps as written in every document: "YYYY-MM-DDTHH:MM:SSZ", UTC.
#include <cstdint>
#include <string>

namespace flakegrab {

std::string format_iso8601(std::int64_t epoch_seconds);
std::string utc_now_iso8601();

}  // namespace flakegrab
