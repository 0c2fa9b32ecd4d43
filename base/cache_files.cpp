#include "base/cache_files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "base/error.h"
#include "base/fnv1a.h"

namespace flakegrab {

namespace fs = std::filesystem;

namespace {

// Format 2: checksums use the standard FNV-1a offset basis (format 1 had a digit missing).
constexpr std::string_view kFileMagic = "FGCHK002";
constexpr std::string_view kLogMagic = "FGLOG002";

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint64_t get_u64(std::string_view in, size_t at) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= std::uint64_t(static_cast<unsigned char>(in[at + i])) << (8 * i);
  return v;
}

std::optional<std::string> slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary | std::ios::ate);
  if (!in) return std::nullopt;
  std::streamoff size = in.tellg();
  if (size < 0) return std::nullopt;
  std::string bytes(static_cast<std::size_t>(size), '\0');  // read once, into its place
  in.seekg(0);
  if (!in.read(bytes.data(), size)) return std::nullopt;
  return bytes;
}

void write_all(int fd, std::string_view bytes, const fs::path& file) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error("cannot write cache file " + file.string());
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

// Writes what `produce` hands its sink to a temp file, then renames it over `file`.
void write_atomic_streamed(
    const fs::path& file,
    const std::function<void(const std::function<void(std::string_view)>&)>& produce) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  fs::path tmp = file;
  tmp += ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error("cannot write cache file " + file.string());
  try {
    produce([&](std::string_view bytes) { write_all(fd, bytes, file); });
  } catch (...) {
    ::close(fd);
    fs::remove(tmp, ec);
    throw;
  }
  ::close(fd);
  fs::rename(tmp, file, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw Error("cannot replace cache file " + file.string());
  }
}

void write_atomic(const fs::path& file, std::string_view bytes) {
  write_atomic_streamed(file, [&](const auto& sink) { sink(bytes); });
}

// Reads a descriptor front to back through a fixed buffer, up to `end` bytes.
class SequentialReader {
 public:
  SequentialReader(int fd, std::uint64_t start, std::uint64_t end)
      : fd_(fd), end_(end), offset_(start), next_(start), buf_(1 << 16) {}
  std::uint64_t offset() const { return offset_; }
  std::uint64_t left() const { return end_ - offset_; }
  // Appends the next n bytes to out; false when the file ends first.
  bool read(std::uint64_t n, std::string& out) {
    while (n > 0) {
      if (at_ == have_) {
        ssize_t got = ::pread(fd_, buf_.data(), buf_.size(), static_cast<off_t>(next_));
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return false;
        have_ = static_cast<std::size_t>(got);
        at_ = 0;
        next_ += have_;
      }
      std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(n, have_ - at_));
      out.append(buf_.data() + at_, take);
      at_ += take;
      n -= take;
      offset_ += take;
    }
    return true;
  }

 private:
  int fd_;
  std::uint64_t end_;
  std::uint64_t offset_;  // of the next byte read()
  std::uint64_t next_;    // of the next byte to fetch into buf_
  std::vector<char> buf_;
  std::size_t have_ = 0, at_ = 0;
};

void encode_record(std::string& out, std::string_view key, std::string_view value) {
  put_u64(out, key.size());
  put_u64(out, value.size());
  put_u64(out, fnv1a64(value, fnv1a64(key)));
  out.append(key);
  out.append(value);
}

}  // namespace

void write_checked_file(const fs::path& file, std::string_view payload) {
  std::string header(kFileMagic);
  put_u64(header, payload.size());
  put_u64(header, fnv1a64(payload));
  write_atomic_streamed(file, [&](const auto& sink) {
    sink(header);
    sink(payload);  // not copied behind the header: a whole-tree result can be megabytes
  });
}

std::optional<std::string> read_checked_file(const fs::path& file) {
  auto bytes = slurp(file);
  if (!bytes) return std::nullopt;
  std::string_view b = *bytes;
  if (b.size() < kFileMagic.size() + 16 || b.substr(0, kFileMagic.size()) != kFileMagic)
    return std::nullopt;
  std::uint64_t len = get_u64(b, 8);
  std::uint64_t sum = get_u64(b, 16);
  if (b.size() - 24 != len) return std::nullopt;
  if (fnv1a64(b.substr(24)) != sum) return std::nullopt;
  bytes->erase(0, 24);  // in place: the payload is not copied again
  return bytes;
}

LogIndex::LogIndex(const fs::path& file, bool for_append) : file_(file) {
  if (for_append) {
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    appendable_ = fd_ >= 0;
  }
  if (fd_ < 0) fd_ = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return;
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    corrupt_ = true;
    return;
  }
  // What a concurrent run appends after this point is not looked at.
  index_to(static_cast<std::uint64_t>(st.st_size));
}

void LogIndex::index_to(std::uint64_t end) {
  if (corrupt_ || end <= indexed_) return;
  SequentialReader in(fd_, indexed_, end);
  if (indexed_ == 0) {
    std::string magic;
    if (!in.read(kLogMagic.size(), magic) || magic != kLogMagic) {
      corrupt_ = true;
      return;
    }
    indexed_ = in.offset();
  }
  std::string header, key, value;
  while (in.left() > 0) {
    header.clear();
    if (in.left() < 24 || !in.read(24, header)) {
      corrupt_ = true;
      break;
    }
    std::uint64_t klen = get_u64(header, 0), vlen = get_u64(header, 8), sum = get_u64(header, 16);
    if (klen > in.left() || vlen > in.left() - klen) {
      corrupt_ = true;
      break;
    }
    key.clear();
    value.clear();
    std::uint64_t at = in.offset() + klen;
    if (!in.read(klen, key) || !in.read(vlen, value) || fnv1a64(value, fnv1a64(key)) != sum) {
      corrupt_ = true;
      break;
    }
    where_[key] = {at, vlen, sum};
    ++record_count_;
    indexed_ = in.offset();
  }
}

bool LogIndex::append(const std::vector<std::pair<std::string, std::string>>& records) {
  // Records after a damaged one would never be read: a damaged log is only ever rewritten.
  if (!appendable_ || corrupt_) return false;
  if (records.empty()) return true;
  ::flock(fd_, LOCK_EX);
  bool ok = false;
  struct stat st {
  }, now{};
  // A log another run replaced since (a rewrite renames a new file in) is no longer the one
  // later runs read: what is appended to it would be lost, so the caller appends by name.
  if (::fstat(fd_, &st) == 0 && ::stat(file_.c_str(), &now) == 0 && now.st_ino == st.st_ino &&
      now.st_dev == st.st_dev) {
    std::string out;
    if (st.st_size == 0) out.append(kLogMagic);
    for (const auto& [k, v] : records) encode_record(out, k, v);
    try {
      write_all(fd_, out, file_);
      ok = true;
    } catch (const Error&) {
      // A short write leaves a torn tail: the next index finds it and the log is rewritten.
    }
    // Ours and whatever other runs appended before them, read back as any index reads.
    if (ok && ::fstat(fd_, &st) == 0) index_to(static_cast<std::uint64_t>(st.st_size));
  }
  ::flock(fd_, LOCK_UN);
  return ok && !corrupt_;
}

LogIndex::~LogIndex() {
  if (fd_ >= 0) ::close(fd_);
}

bool LogIndex::read_value(const std::string& key, const Where& w, std::string& out) const {
  out.resize(w.size);
  std::uint64_t done = 0;
  while (done < w.size) {
    ssize_t got =
        ::pread(fd_, out.data() + done, w.size - done, static_cast<off_t>(w.offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    done += static_cast<std::uint64_t>(got);
  }
  return fnv1a64(out, fnv1a64(key)) == w.sum;
}

std::optional<std::string> LogIndex::get(const std::string& key) const {
  auto it = where_.find(key);
  if (it == where_.end()) return std::nullopt;
  std::string value;
  if (!read_value(key, it->second, value)) return std::nullopt;
  return value;
}

void LogIndex::for_each(
    const std::function<void(const std::string& key, std::string_view value)>& fn) const {
  std::string value;
  for (const auto& [key, w] : where_)
    if (read_value(key, w, value)) fn(key, value);
}

LogContents read_log(const fs::path& file) {
  LogIndex index(file);
  LogContents out;
  out.corrupt = index.corrupt();
  out.record_count = index.record_count();
  index.for_each([&](const std::string& key, std::string_view value) {
    out.records.emplace(key, std::string(value));
  });
  return out;
}

void append_log(const fs::path& file,
                const std::vector<std::pair<std::string, std::string>>& records) {
  if (records.empty()) return;
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw Error("cannot write cache file " + file.string());
  ::flock(fd, LOCK_EX);
  std::string out;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size == 0) out.append(kLogMagic);
  for (const auto& [k, v] : records) encode_record(out, k, v);
  try {
    write_all(fd, out, file);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
}

void rewrite_log(const fs::path& file,
                 const std::unordered_map<std::string, std::string>& records) {
  std::string out(kLogMagic);
  for (const auto& [k, v] : records) encode_record(out, k, v);
  write_atomic(file, out);
}

void rewrite_log(const fs::path& file, const LogIndex& old,
                 const std::unordered_map<std::string, std::string>& fresh) {
  write_atomic_streamed(file, [&](const auto& sink) {
    std::string out(kLogMagic);
    auto add = [&](std::string_view k, std::string_view v) {
      encode_record(out, k, v);
      if (out.size() >= (1u << 20)) {
        sink(out);
        out.clear();
      }
    };
    old.for_each([&](const std::string& k, std::string_view v) {
      if (!fresh.count(k)) add(k, v);
    });
    for (const auto& [k, v] : fresh) add(k, v);
    sink(out);
  });
}

}  // namespace flakegrab
