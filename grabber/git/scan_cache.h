#pragma once
// The per-file incremental cache for git scans: CachedFile results keyed by blob id + path,
// one append-only checksummed log per scanner-config hash. Thread-safe, as scan_jobs requires.
#include <filesystem>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "grabber/scan_pipeline.h"

namespace flakegrab::git {

class DiskScanCache final : public ScanCache {
 public:
  explicit DiskScanCache(std::filesystem::path log_file);
  std::optional<CachedFile> get(const std::string& key) override;
  void put(const std::string& key, const CachedFile& file) override;
  // Appends new entries; rewrites the whole log when it was found corrupt or mostly stale.
  void flush();

 private:
  void load_locked();
  std::filesystem::path file_;
  std::shared_mutex mutex_;
  bool loaded_ = false;
  bool corrupt_ = false;
  std::uint64_t record_count_ = 0;
  std::unordered_map<std::string, std::string> records_;  // key -> msgpack bytes
  std::vector<std::pair<std::string, std::string>> pending_;
};

}  // namespace flakegrab::git
