#pragma once
// A directory scan's record of the files it hashed, by their stat data, as git's index keeps
// it: a rescan trusts a file's blob id while its size, mode, inode, device, mtime and ctime are
// all unchanged, and reads and hashes only the files whose stat changed. A change of the bytes
// changes the ctime even when a tool puts the mtime back (`cp -p`, `touch -r`), so the ctime is
// what makes this safe; a file is only recorded once its last change is older than the scan by
// more than the timestamps' coarseness (kSettled), so that a change made in the same clock tick
// as the hash cannot look like the hashed state (git's "racily clean" entries).
#include <sys/stat.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace flakegrab {

struct FileStat {
  std::uint64_t size = 0;
  std::uint64_t mode = 0;
  std::uint64_t ino = 0;
  std::uint64_t dev = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;
  bool operator==(const FileStat&) const = default;
};

// What a StatIndex compares of `st` (the walk's own fstatat).
FileStat file_stat(const struct stat& st);
// lstat of root/rel; nullopt when it fails or rel is not a regular file.
std::optional<FileStat> stat_beneath(const std::filesystem::path& root, const std::string& rel);

// The wall clock, in the nanoseconds file timestamps count.
std::int64_t wall_clock_ns();

class StatIndex {
 public:
  // How long before the scan a file's last change must be for its hash to be kept: kernels
  // stamp files from a clock that advances in ticks of milliseconds, FAT keeps mtimes to 2 s,
  // and a network filesystem's server clock may be a little off ours.
  static constexpr std::int64_t kSettled = 3'000'000'000;
  // The index kept in `file` (absent, unreadable or corrupt: empty). `scan_started_ns`: the
  // wall clock before any file of this scan was looked at.
  StatIndex(std::filesystem::path file, std::int64_t scan_started_ns);
  // The blob id (hex) recorded for `rel` when `now` is the stat it was recorded with.
  std::optional<std::string> blob(const std::string& rel, const FileStat& now);
  // Keeps the blob id of bytes read after `st` was taken (dropped when the file changed too
  // recently to tell by its stat).
  void note(const std::string& rel, const FileStat& st, std::string blob);
  // Writes the files found or noted since construction (the others are gone from the tree or
  // were not looked at), unless that is what the file holds already; false when it could not be
  // written. Thread-safe like the rest.
  bool save();
  // How many files blob() vouched for: those this scan did not read to know them.
  std::uint64_t vouched() const { return vouched_; }

 private:
  struct Entry {
    FileStat stat;
    std::string blob;
    bool operator==(const Entry&) const = default;
  };
  std::filesystem::path file_;
  std::int64_t settled_before_ns_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> old_, kept_;
  bool noted_new_ = false;  // note() kept an entry that old_ does not hold
  std::atomic<std::uint64_t> vouched_{0};
};

}  // namespace flakegrab
