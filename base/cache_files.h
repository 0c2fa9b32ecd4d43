#pragma once
// The on-disk formats of the incremental cache. Everything read back is checksummed; anything
// that does not verify is treated as absent (and later rewritten), never trusted.
#include <cstdint>
#include <filesystem>
#include <functional>
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

// A log read for its keys: every record is verified while indexing, as read_log does, but the
// values stay on disk and are read again (and verified again) when asked for, so memory holds
// the keys only. Reads through the descriptor it opened: a concurrent rewrite (a rename) does
// not move what it indexed, and appends do not disturb it.
class LogIndex {
 public:
  // An absent file is an empty log. `for_append`: opened (and created) for append() too.
  explicit LogIndex(const std::filesystem::path& file, bool for_append = false);
  ~LogIndex();
  LogIndex(const LogIndex&) = delete;
  LogIndex& operator=(const LogIndex&) = delete;
  // The latest value of `key`; nullopt when absent or when its bytes no longer verify.
  std::optional<std::string> get(const std::string& key) const;
  bool contains(const std::string& key) const { return where_.count(key) != 0; }
  bool corrupt() const { return corrupt_; }
  std::uint64_t record_count() const { return record_count_; }  // including superseded ones
  std::size_t size() const { return where_.size(); }            // distinct keys
  // Each key's latest value, one at a time (in no particular order); values that no longer
  // verify are left out.
  void for_each(const std::function<void(const std::string& key, std::string_view value)>&) const;
  // Appends under an flock, as append_log does, to the file this index reads, then indexes
  // what was appended (with what other runs appended before it). False, having written
  // nothing, when the log is corrupt (a rewrite must replace it), not writable or no longer
  // the file at its path (another run rewrote it); false too when the write failed.
  bool append(const std::vector<std::pair<std::string, std::string>>& records);

 private:
  struct Where {
    std::uint64_t offset = 0;  // of the value
    std::uint64_t size = 0;
    std::uint64_t sum = 0;
  };
  bool read_value(const std::string& key, const Where& w, std::string& out) const;
  void index_to(std::uint64_t end);  // reads the records from indexed_ up to `end`
  std::filesystem::path file_;
  int fd_ = -1;
  bool appendable_ = false;
  std::uint64_t indexed_ = 0;  // bytes read and verified
  bool corrupt_ = false;
  std::uint64_t record_count_ = 0;
  std::unordered_map<std::string, Where> where_;
};
// Appends under an flock so concurrent runs interleave whole records only.
void append_log(const std::filesystem::path& file,
                const std::vector<std::pair<std::string, std::string>>& records);
// Replaces the log with exactly `records` (temp file + rename).
void rewrite_log(const std::filesystem::path& file,
                 const std::unordered_map<std::string, std::string>& records);
// Replaces the log with `old`'s records but those `fresh` has, then `fresh`'s, written as it
// goes (temp file + rename), never held whole.
void rewrite_log(const std::filesystem::path& file, const LogIndex& old,
                 const std::unordered_map<std::string, std::string>& fresh);

}  // namespace flakegrab
