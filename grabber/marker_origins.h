#pragma once
// When each marker was written: the commit that introduced its line, from git blame on the
// scanned commit (see grabber/git/blame.h). Only for markers without a `since`.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "grabber/repo.h"

namespace flakegrab {

// Only a pointer to it is taken: its header (grabber/git/blame.h) brings in <git2.h>, which
// the includers of this one must not see.
namespace git {
struct BlameStats;
}

struct MarkerOrigin {
  std::string commit;  // sha of the commit that added the marker's line
  std::string date;    // its author date, UTC "YYYY-MM-DDTHH:MM:SSZ"
};

// Keyed by marker_origin_key(file, line).
using MarkerOrigins = std::map<std::string, MarkerOrigin>;

std::string marker_origin_key(std::string_view file, int line);

// Opens `repo` as scan_repository did (a remote's existing mirror, without fetching again) and
// blames the lines of `markers` that carry no `since` at `commit_sha`. Cached under the
// options' cache dir unless use_cache is false. Throws Error when the repository cannot be opened.
MarkerOrigins blame_markers(std::string_view repo, const std::string& commit_sha,
                            const std::vector<Marker>& markers, const RepoScanOptions& options,
                            git::BlameStats* stats = nullptr);

}  // namespace flakegrab
