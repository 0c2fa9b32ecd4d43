#pragma once
// The per-file incremental cache for git scans: CachedFile results keyed by blob id + path,
// one append-only checksummed log per scanner-config hash. Thread-safe, as scan_jobs requires.
#include <filesystem>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "base/cache_files.h"
#include "grabber/scan_pipeline.h"

namespace flakegrab::git {

// The log is indexed at the first get() or put(): its keys stay in memory, its values on disk
// until asked for (base/cache_files.h LogIndex), so a rescan's memory does not grow with the
// size of the results cached.
class DiskScanCache final : public ScanCache {
 public:
  explicit DiskScanCache(std::filesystem::path log_file);
  std::optional<CachedFile> get(const std::string& key) override;
  void put(const std::string& key, const CachedFile& file) override;
  std::optional<std::string> get_bytes(const std::string& key) override;
  void put_bytes(const std::string& key, std::string bytes) override;
  // Appends new entries; rewrites the whole log when it was found corrupt or mostly stale.
  void flush();

 private:
  void load_locked();
  bool append_pending_locked();  // false: kept in pending_ (a corrupt or unwritable log)
  static constexpr std::size_t kAppendBatchBytes = 4 << 20;
  std::filesystem::path file_;
  std::shared_mutex mutex_;
  std::unique_ptr<LogIndex> log_;                         // null until loaded
  std::unordered_map<std::string, std::string> pending_;  // key -> record, not yet appended
  std::size_t pending_bytes_ = 0;
  bool batching_ = true;
};

}  // namespace flakegrab::git
