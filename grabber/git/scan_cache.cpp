#include "grabber/git/scan_cache.h"

#include "base/cache_files.h"
#include "grabber/scan_records.h"

namespace flakegrab::git {

namespace {

// Bump when the layout below changes: a record of another layout is a miss, then replaced.
constexpr char kRecordTag = '\x01';

std::string encode(const CachedFile& f) {
  records::Writer w;
  w.bytes().push_back(kRecordTag);
  w.optional(f.skip_reason);
  w.number(f.markers.parse_error ? 1 : 0);
  w.markers(f.markers.markers);
  w.number(f.depends_on.size());
  for (const auto& [path, id] : f.depends_on) w.string(path), w.string(id);
  return std::move(w.bytes());
}

std::optional<CachedFile> decode(std::string_view bytes) {
  if (bytes.empty() || bytes[0] != kRecordTag) return std::nullopt;  // another layout: a miss
  try {
    records::Reader in(bytes.substr(1));
    CachedFile f;
    f.skip_reason = in.optional();
    f.markers.parse_error = in.number() != 0;
    f.markers.markers = in.markers();
    std::uint64_t deps = in.number();
    if (deps > bytes.size()) return std::nullopt;
    for (std::uint64_t i = 0; i < deps; ++i) {
      std::string path = in.string();
      f.depends_on.emplace_back(path, in.string());
      f.markers.dependencies.push_back(std::move(path));
    }
    if (!in.done()) return std::nullopt;
    return f;
  } catch (const records::Corrupt&) {
    return std::nullopt;  // checksummed but undecodable: treat as a miss
  }
}

}  // namespace

DiskScanCache::DiskScanCache(std::filesystem::path log_file) : file_(std::move(log_file)) {}

void DiskScanCache::load_locked() {
  if (loaded_) return;
  LogContents log = read_log(file_);
  records_ = std::move(log.records);
  corrupt_ = log.corrupt;
  record_count_ = log.record_count;
  loaded_ = true;
}

std::optional<CachedFile> DiskScanCache::get(const std::string& key) {
  {
    std::shared_lock lock(mutex_);
    if (loaded_) {
      auto it = records_.find(key);
      if (it == records_.end()) return std::nullopt;
      return decode(it->second);
    }
  }
  std::unique_lock lock(mutex_);
  load_locked();
  auto it = records_.find(key);
  if (it == records_.end()) return std::nullopt;
  return decode(it->second);
}

void DiskScanCache::put(const std::string& key, const CachedFile& file) {
  std::string bytes = encode(file);
  std::unique_lock lock(mutex_);
  load_locked();
  records_[key] = bytes;
  pending_.emplace_back(key, std::move(bytes));
}

void DiskScanCache::flush() {
  std::unique_lock lock(mutex_);
  if (!loaded_) return;
  bool stale = record_count_ + pending_.size() > 2 * records_.size() + 1024;
  if (corrupt_ || stale) {
    rewrite_log(file_, records_);
    corrupt_ = false;
    record_count_ = records_.size();
  } else {
    append_log(file_, pending_);
    record_count_ += pending_.size();
  }
  pending_.clear();
}

}  // namespace flakegrab::git
