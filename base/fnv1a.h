#pragma once
// FNV-1a 64: stable across builds and platforms, for cache checksums, cache keys and names.
#include <cstdint>
#include <string>
#include <string_view>

namespace flakegrab {

inline constexpr std::uint64_t kFnv1aOffsetBasis = 14695981039346656037ULL;

// Chains: pass a previous result as `seed` to hash several pieces as one.
std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t seed = kFnv1aOffsetBasis);

// A hash as the 16 lower-case hex digits names and keys spell it.
std::string hex64(std::uint64_t h);

}  // namespace flakegrab
