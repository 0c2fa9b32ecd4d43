#pragma once
// An exclusive flock(2) on a lock file, held for the object's lifetime. The kernel drops it
// when the process dies, so a crashed run never leaves a stale lock behind. The file itself is
// kept on release: unlinking it would let a waiter locked on the old inode and a newcomer
// locking a fresh file of the same name both believe they hold the lock.
#include <filesystem>

namespace flakegrab::git {

class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& lock_file);  // blocks until acquired
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace flakegrab::git
