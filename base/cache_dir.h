#pragma once
// Where flakegrab keeps what it can rebuild (mirrors, scan results, blame, ticket states).
#include <filesystem>

namespace flakegrab {

// $XDG_CACHE_HOME/flakegrab, else ~/.cache/flakegrab; throws Error when neither is set.
std::filesystem::path default_cache_dir();

}  // namespace flakegrab
