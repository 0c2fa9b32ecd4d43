#include "base/cache_files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

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
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
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

void write_atomic(const fs::path& file, std::string_view bytes) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  fs::path tmp = file;
  tmp += ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error("cannot write cache file " + file.string());
  try {
    write_all(fd, bytes, file);
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

void encode_record(std::string& out, std::string_view key, std::string_view value) {
  put_u64(out, key.size());
  put_u64(out, value.size());
  put_u64(out, fnv1a64(value, fnv1a64(key)));
  out.append(key);
  out.append(value);
}

}  // namespace

void write_checked_file(const fs::path& file, std::string_view payload) {
  std::string out(kFileMagic);
  put_u64(out, payload.size());
  put_u64(out, fnv1a64(payload));
  out.append(payload);
  write_atomic(file, out);
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
  std::string_view payload = b.substr(24);
  if (fnv1a64(payload) != sum) return std::nullopt;
  return std::string(payload);
}

LogContents read_log(const fs::path& file) {
  LogContents out;
  auto bytes = slurp(file);
  if (!bytes) return out;
  std::string_view b = *bytes;
  if (b.size() < kLogMagic.size() || b.substr(0, kLogMagic.size()) != kLogMagic) {
    out.corrupt = !b.empty();
    return out;
  }
  size_t at = kLogMagic.size();
  while (at < b.size()) {
    if (b.size() - at < 24) {
      out.corrupt = true;
      break;
    }
    std::uint64_t klen = get_u64(b, at), vlen = get_u64(b, at + 8), sum = get_u64(b, at + 16);
    if (klen > b.size() || vlen > b.size() || b.size() - at - 24 < klen + vlen) {
      out.corrupt = true;
      break;
    }
    std::string_view key = b.substr(at + 24, klen), value = b.substr(at + 24 + klen, vlen);
    if (fnv1a64(value, fnv1a64(key)) != sum) {
      out.corrupt = true;
      break;
    }
    out.records[std::string(key)] = std::string(value);
    ++out.record_count;
    at += 24 + klen + vlen;
  }
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

}  // namespace flakegrab
