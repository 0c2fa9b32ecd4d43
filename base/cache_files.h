#pragma once
// The on-disk formats of the incremental cache. Everything read back is checksummed; anything
// that does not verify is treated as absent (and later rewritten), never trusted.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace flakegrab {

// One value per file: magic, length, checksum, payload. Written to a temp file and renamed.
void write_checked_file(const std::filesystem::path& file, std::string_view payload);
std::optional<std::string> read_checked_file(const std::filesystem::path& file);

// Many small values per file: an append-only log of checksummed key/value records. A torn or
// corrupt record ends the readable part; `corrupt` reports it so the caller rewrites the log.
struct LogContents {
  std::unordered_map<std::string, std::string> records;
  bool corrupt = false;
  std::uint64_t record_count = 0;  // including superseded duplicates
};
LogContents read_log(const std::filesystem::path& file);
// Appends under an flock so concurrent runs interleave whole records only.
void append_log(const std::filesystem::path& file,
                const std::vector<std::pair<std::string, std::string>>& records);
// Replaces the log with exactly `records` (temp file + rename).
void rewrite_log(const std::filesystem::path& file,
                 const std::unordered_map<std::string, std::string>& records);

}  // namespace flakegrab
