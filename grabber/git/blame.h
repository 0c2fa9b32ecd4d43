#pragma once
// Which commit introduced a line: libgit2 blame of chosen lines of files at one commit, cached
// per (blob, path) so a repeated scan blames only the files whose content changed.
#include <git2.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace flakegrab::git {

struct LineOrigin {
  std::string commit;     // full sha of the commit that introduced the line
  std::int64_t time = 0;  // its author time, seconds since the epoch
  friend bool operator==(const LineOrigin&, const LineOrigin&) = default;
};

struct BlameStats {
  std::size_t files_blamed = 0;  // files handed to libgit2 blame
  std::size_t files_cached = 0;  // files answered from the cache
  std::size_t files_failed = 0;  // files blame could not follow (missing path, bad object)
};

using LineOrigins = std::map<std::string, std::map<int, LineOrigin>>;  // path -> line -> origin

// Blames `lines` (1-based, per path) of the files in `commit`'s tree. A path or line blame
// cannot answer is left out, never guessed. Renames are followed as libgit2 detects them.
// `cache_file` empty: no cache. Files are blamed on `threads` threads (0 = all cores).
LineOrigins blame_lines(git_repository* repo, const git_oid& commit,
                        const std::map<std::string, std::vector<int>>& lines,
                        const std::filesystem::path& cache_file, BlameStats* stats = nullptr,
                        unsigned threads = 0);

}  // namespace flakegrab::git
