#include "grabber/git/scan_cache.h"

#include "base/cache_files.h"

namespace flakegrab::git {

namespace {

std::string encode(const CachedFile& f) {
  nlohmann::ordered_json j;
  j["s"] = f.skip_reason ? nlohmann::ordered_json(*f.skip_reason) : nlohmann::ordered_json(nullptr);
  j["p"] = f.markers.parse_error;
  nlohmann::ordered_json markers = nlohmann::ordered_json::array();
  for (const auto& m : f.markers.markers) markers.push_back(to_json(m));
  j["m"] = std::move(markers);
  if (!f.depends_on.empty()) {
    nlohmann::ordered_json deps = nlohmann::ordered_json::array();
    for (const auto& [path, id] : f.depends_on) deps.push_back({path, id});
    j["d"] = std::move(deps);
  }
  auto bytes = nlohmann::ordered_json::to_msgpack(j);
  return std::string(bytes.begin(), bytes.end());
}

std::optional<CachedFile> decode(const std::string& bytes) {
  try {
    auto j = nlohmann::ordered_json::from_msgpack(bytes);
    CachedFile f;
    if (!j.at("s").is_null()) f.skip_reason = j.at("s").get<std::string>();
    f.markers.parse_error = j.at("p").get<bool>();
    for (const auto& m : j.at("m")) f.markers.markers.push_back(marker_from_json(m));
    if (j.contains("d"))
      for (const auto& d : j.at("d")) {
        f.depends_on.emplace_back(d.at(0).get<std::string>(), d.at(1).get<std::string>());
        f.markers.dependencies.push_back(f.depends_on.back().first);
      }
    return f;
  } catch (const std::exception&) {
    return std::nullopt;  // checksummed but undecodable: an older format, treat as a miss
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
