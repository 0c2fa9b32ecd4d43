#pragma once
// Where the tests find the source tree, the built CLI and the shared contracts.
#include <filesystem>

namespace flakegrab::test {

inline std::filesystem::path source_dir() {
  return FLAKEGRAB_SOURCE_DIR;
}
inline std::filesystem::path fixtures_dir() {
  return source_dir() / "fixtures";
}
inline std::filesystem::path cli_binary() {
  return FLAKEGRAB_BINARY;
}
inline std::filesystem::path contracts_dir() {
  return FLAKEGRAB_CONTRACTS_DIR;
}

}  // namespace flakegrab::test
