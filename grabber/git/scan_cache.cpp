#include "grabber/git/scan_cache.h"

#include "base/cache_files.h"
#include "grabber/scan_records.h"

namespace flakegrab::git {

namespace {

// Bump when the layout below changes: a record of another layout is a miss, then replaced.
constexpr char kRecordTag = '\x02';

std::string encode(const CachedFile& f) {
  records::Writer w;
  w.bytes().push_back(kRecordTag);
  w.optional(f.skip_reason);
  w.number(f.markers.parse_error ? 1 : 0);
  w.markers(f.markers.markers);
  w.number(f.depends_on.size());
  for (const auto& [path, id] : f.depends_on) w.string(path), w.string(id);
  w.string(f.markers.link_sites);
  w.strings(f.markers.relinkable);
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
    f.markers.link_sites = in.string();
    f.markers.relinkable = in.strings();
    if (!in.done()) return std::nullopt;
    return f;
  } catch (const records::Corrupt&) {
    return std::nullopt;  // checksummed but undecodable: treat as a miss
  }
}

}  // namespace

DiskScanCache::DiskScanCache(std::filesystem::path log_file) : file_(std::move(log_file)) {}

void DiskScanCache::load_locked() {
  if (!log_) log_ = std::make_unique<LogIndex>(file_, /*for_append=*/true);
}

bool DiskScanCache::append_pending_locked() {
  std::vector<std::pair<std::string, std::string>> records;
  records.reserve(pending_.size());
  for (auto& [key, bytes] : pending_) records.emplace_back(key, std::move(bytes));
  pending_.clear();
  pending_bytes_ = 0;
  if (log_->append(records)) return true;
  for (auto& [key, bytes] : records) pending_.emplace(key, std::move(bytes));  // kept for flush
  return false;
}

std::optional<std::string> DiskScanCache::get_bytes(const std::string& key) {
  {
    std::shared_lock lock(mutex_);
    if (log_) {
      if (auto it = pending_.find(key); it != pending_.end()) return it->second;
      return log_->get(key);
    }
  }
  std::unique_lock lock(mutex_);
  load_locked();
  if (auto it = pending_.find(key); it != pending_.end()) return it->second;
  return log_->get(key);
}

std::optional<CachedFile> DiskScanCache::get(const std::string& key) {
  auto bytes = get_bytes(key);
  return bytes ? decode(*bytes) : std::nullopt;
}

void DiskScanCache::put(const std::string& key, const CachedFile& file) {
  put_bytes(key, encode(file));
}

void DiskScanCache::put_bytes(const std::string& key, std::string bytes) {
  std::unique_lock lock(mutex_);
  load_locked();
  pending_bytes_ += key.size() + bytes.size();
  pending_[key] = std::move(bytes);
  // Written as the scan goes, so a cold scan does not hold every record until the end (the
  // log index answers for them from then on); once that fails (a corrupt, unwritable or
  // replaced log), the rest waits for flush().
  if (batching_ && pending_bytes_ >= kAppendBatchBytes) batching_ = append_pending_locked();
}

void DiskScanCache::flush() {
  std::unique_lock lock(mutex_);
  if (!log_) return;
  std::size_t live = log_->size();
  for (const auto& [key, bytes] : pending_) live += log_->contains(key) ? 0 : 1;
  bool stale = log_->record_count() + pending_.size() > 2 * live + 1024;
  if (log_->corrupt() || stale) {
    rewrite_log(file_, *log_, pending_);
  } else if (!pending_.empty() && !append_pending_locked()) {
    std::vector<std::pair<std::string, std::string>> records(pending_.begin(), pending_.end());
    append_log(file_, records);  // throws naming the file when it cannot be written
  }
  pending_.clear();
  pending_bytes_ = 0;
  log_.reset();  // the next get() indexes the log as it is now
  batching_ = true;
}

}  // namespace flakegrab::git
