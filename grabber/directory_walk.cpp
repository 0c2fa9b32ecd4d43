#include "grabber/directory_walk.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <utility>

#include "base/error.h"
#include "base/read_file.h"

namespace flakegrab {

namespace {

// Below PATH_MAX with room to spare: a relative path this long is opened in one openat.
constexpr std::size_t kChunk = PATH_MAX / 2;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

// openat(base, rel) for a rel of any length: long ones are opened a chunk of directories at
// a time. Returns -1 with errno set on failure.
int open_beneath(int base, const std::string& rel, int flags) {
  std::size_t pos = 0;
  int cur = base;
  auto drop = [&](int next) {
    if (cur != base) {
      int saved = errno;
      ::close(cur);
      errno = saved;
    }
    cur = next;
  };
  while (rel.size() - pos >= kChunk) {
    std::size_t cut = rel.rfind('/', pos + kChunk - 1);
    if (cut == std::string::npos || cut <= pos) {
      drop(base);
      errno = ENAMETOOLONG;  // one path component longer than a chunk
      return -1;
    }
    int next = ::openat(cur, rel.substr(pos, cut - pos).c_str(),
                        O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0) {
      drop(base);
      return -1;
    }
    drop(next);
    pos = cut + 1;
  }
  int fd = ::openat(cur, rel.c_str() + pos, flags);
  drop(base);
  return fd;
}

std::string error_text(int err) {
  return std::strerror(err);
}

bool is_file_at(int dir_fd, const std::string& rel) {
  struct stat st {};
  return ::fstatat(dir_fd, rel.c_str(), &st, 0) == 0 && S_ISREG(st.st_mode);
}

// pytest's test for a virtualenv (or conda environment) root.
bool is_venv_at(int dir_fd, const char* name) {
  std::string n(name);
  return is_file_at(dir_fd, n + "/pyvenv.cfg") || is_file_at(dir_fd, n + "/conda-meta/history");
}

}  // namespace

DirectoryWalk walk_directory(const std::filesystem::path& root,
                             const std::function<bool(const std::string& dir, bool venv)>& enters) {
  Fd root_fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (root_fd.get() < 0) {
    int err = errno;
    if (err == ENOTDIR || err == ENOENT) throw Error(root.string() + ": not a directory");
    throw Error(root.string() + ": cannot read: " + error_text(err));
  }
  DirectoryWalk out;
  std::vector<std::string> pending{""};
  while (!pending.empty()) {
    std::string dir = std::move(pending.back());
    pending.pop_back();
    int fd = dir.empty() ? ::dup(root_fd.get())
                         : open_beneath(root_fd.get(), dir,
                                        O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR* d = fd >= 0 ? ::fdopendir(fd) : nullptr;
    if (d == nullptr) {
      int err = errno;
      if (fd >= 0) ::close(fd);
      if (dir.empty()) throw Error(root.string() + ": cannot list: " + error_text(err));
      out.unreadable.push_back({dir + "/", true, error_text(err)});
      continue;
    }
    for (;;) {
      errno = 0;
      dirent* ent = ::readdir(d);
      if (ent == nullptr) {
        if (errno != 0) {
          if (dir.empty()) {
            int err = errno;
            ::closedir(d);
            throw Error(root.string() + ": cannot list: " + error_text(err));
          }
          out.unreadable.push_back({dir + "/", true, error_text(errno)});
        }
        break;
      }
      std::string_view name = ent->d_name;
      if (name == "." || name == "..") continue;
      std::string rel = dir.empty() ? std::string(name) : dir + "/" + std::string(name);
      struct stat st {};
      if (::fstatat(::dirfd(d), ent->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        bool is_dir = ent->d_type == DT_DIR;
        out.unreadable.push_back({is_dir ? rel + "/" : rel, is_dir, error_text(errno)});
        continue;
      }
      if (S_ISLNK(st.st_mode)) {
        out.files.push_back({std::move(rel), true, {}});
      } else if (S_ISDIR(st.st_mode)) {
        if (enters(rel, is_venv_at(::dirfd(d), ent->d_name))) pending.push_back(std::move(rel));
      } else if (S_ISREG(st.st_mode)) {
        out.files.push_back({std::move(rel), false, file_stat(st)});
      }
    }
    ::closedir(d);
  }
  return out;
}

std::string read_file_beneath(const std::filesystem::path& root, const std::string& rel) {
  if (root.native().size() + rel.size() + 1 < kChunk) return read_whole_file(root / rel);
  Fd root_fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  Fd fd(root_fd.get() < 0 ? -1 : open_beneath(root_fd.get(), rel, O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw Error((root / rel).string() + ": cannot read");
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error((root / rel).string() + ": cannot read");
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace flakegrab
