#include "grabber/stat_index.h"

#include <sys/stat.h>

#include <ctime>

#include "base/cache_files.h"
#include "grabber/scan_records.h"

namespace flakegrab {

namespace {
// Bump when the layout below changes: an index of another layout is empty.
constexpr std::uint64_t kFormat = 1;

std::int64_t ns(const timespec& t) {
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}
}  // namespace

FileStat file_stat(const struct stat& st) {
  return FileStat{static_cast<std::uint64_t>(st.st_size),
                  st.st_mode,
                  st.st_ino,
                  st.st_dev,
                  ns(st.st_mtim),
                  ns(st.st_ctim)};
}

std::optional<FileStat> stat_beneath(const std::filesystem::path& root, const std::string& rel) {
  struct stat st {};
  if (::lstat((root / rel).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return file_stat(st);
}

std::int64_t wall_clock_ns() {
  timespec t{};
  ::clock_gettime(CLOCK_REALTIME, &t);
  return ns(t);
}

StatIndex::StatIndex(std::filesystem::path file, std::int64_t scan_started_ns)
    : file_(std::move(file)), settled_before_ns_(scan_started_ns - kSettled) {
  std::optional<std::string> bytes;
  try {
    bytes = read_checked_file(file_);
  } catch (const std::exception&) {
    return;  // an index that cannot be read is an empty one: every file is hashed
  }
  if (!bytes) return;
  try {
    records::Reader in(*bytes);
    if (in.number() != kFormat) return;
    for (std::uint64_t n = in.number(); n > 0 && !in.done(); --n) {
      std::string rel = in.string();
      Entry e;
      e.stat.size = in.number();
      e.stat.mode = in.number();
      e.stat.ino = in.number();
      e.stat.dev = in.number();
      e.stat.mtime_ns = static_cast<std::int64_t>(in.number());
      e.stat.ctime_ns = static_cast<std::int64_t>(in.number());
      e.blob = in.string();
      old_.emplace(std::move(rel), std::move(e));
    }
    if (!in.done()) old_.clear();
  } catch (const records::Corrupt&) {
    old_.clear();
  }
}

std::optional<std::string> StatIndex::blob(const std::string& rel, const FileStat& now) {
  std::lock_guard lock(mu_);
  auto it = old_.find(rel);
  if (it == old_.end() || !(it->second.stat == now)) return std::nullopt;
  if (kept_.insert_or_assign(rel, it->second).second) vouched_ += 1;
  return it->second.blob;
}

void StatIndex::note(const std::string& rel, const FileStat& st, std::string blob) {
  if (st.mtime_ns >= settled_before_ns_ || st.ctime_ns >= settled_before_ns_) return;
  std::lock_guard lock(mu_);
  Entry e{st, std::move(blob)};
  auto old = old_.find(rel);
  noted_new_ = noted_new_ || old == old_.end() || !(old->second == e);
  kept_.insert_or_assign(rel, std::move(e));
}

bool StatIndex::save() {
  std::lock_guard lock(mu_);
  // Every kept entry is an old one unless noted anew: the same count then means the same index
  // (a rescan of a tree that did not change writes nothing).
  if (!noted_new_ && kept_.size() == old_.size()) return true;
  records::Writer w;
  w.number(kFormat);
  w.number(kept_.size());
  for (const auto& [rel, e] : kept_) {
    w.string(rel);
    w.number(e.stat.size);
    w.number(e.stat.mode);
    w.number(e.stat.ino);
    w.number(e.stat.dev);
    w.number(static_cast<std::uint64_t>(e.stat.mtime_ns));
    w.number(static_cast<std::uint64_t>(e.stat.ctime_ns));
    w.string(e.blob);
  }
  try {
    write_checked_file(file_, w.bytes());
    return true;
  } catch (const std::exception&) {
    return false;  // a cache that is not written costs the next scan its hashing, nothing else
  }
}

}  // namespace flakegrab
