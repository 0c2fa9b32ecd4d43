#pragma once
// Listing a working tree through directory file descriptors: symlinks are reported, never
// followed (a link may leave the tree or loop), paths longer than PATH_MAX still work, and
// every entry that cannot be read is returned instead of silently left out.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "grabber/stat_index.h"

namespace flakegrab {

struct WalkedFile {
  std::string rel;  // '/'-separated, relative to the root
  bool symlink = false;
  FileStat stat;  // a regular file's, as listed (size included); zero for a symlink
};

struct UnreadableEntry {
  std::string rel;  // a directory ends in '/'
  bool directory = false;
  std::string why;  // strerror text
};

struct DirectoryWalk {
  std::vector<WalkedFile> files;  // regular files and symlinks (to anything)
  std::vector<UnreadableEntry> unreadable;
};

// `enters(dir, venv)` says whether to list a directory (its path relative to the root; `venv`:
// it holds a pyvenv.cfg or conda-meta/history). The root itself may be a symlink to a
// directory. Throws Error naming `root` when it cannot be opened or listed.
DirectoryWalk walk_directory(const std::filesystem::path& root,
                             const std::function<bool(const std::string& dir, bool venv)>& enters);

// Reads root/rel even when the joined path is longer than PATH_MAX. Throws Error.
std::string read_file_beneath(const std::filesystem::path& root, const std::string& rel);

}  // namespace flakegrab
