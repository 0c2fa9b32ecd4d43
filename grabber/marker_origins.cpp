#include "grabber/marker_origins.h"

#include <ctime>

#include "base/cache_dir.h"
#include "base/iso8601.h"
#include "grabber/git/blame.h"
#include "grabber/git/handles.h"
#include "grabber/git/mirror.h"
#include "grabber/git/url.h"

namespace flakegrab {
namespace {

git::Repository open_for_blame(const git::RepoLocation& loc, const std::filesystem::path& cache) {
  static const git::Library library;
  // A remote was mirrored by the scan that found the markers; fetching it again here could
  // move the branch past the scanned commit for nothing.
  std::string where =
      loc.remote ? (cache / "mirrors" / git::mirror_name(loc.display)).string() : loc.url;
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, where.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) < 0)
    throw Error("cannot open repository " + loc.display +
                " for blame: " + git::last_error_message());
  return git::Repository(raw);
}

}  // namespace

std::string marker_origin_key(std::string_view file, int line) {
  return std::string(file) + ":" + std::to_string(line);
}

MarkerOrigins blame_markers(std::string_view repo, const std::string& commit_sha,
                            const std::vector<Marker>& markers, const RepoScanOptions& options,
                            git::BlameStats* stats) {
  std::map<std::string, std::vector<int>> lines;
  for (const auto& m : markers)
    if (!m.since && m.line > 0) lines[m.file].push_back(m.line);
  MarkerOrigins out;
  if (lines.empty()) return out;
  git::RepoLocation loc = git::parse_location(repo);
  std::filesystem::path cache_dir = options.cache_dir;
  if ((loc.remote || options.use_cache) && cache_dir.empty()) cache_dir = default_cache_dir();
  git::Repository handle = open_for_blame(loc, cache_dir);
  git_oid oid;
  if (git_oid_fromstr(&oid, commit_sha.c_str()) < 0)
    throw Error(loc.display + ": not a commit sha: " + commit_sha);
  std::filesystem::path cache_file;
  // One log per repository: a blob at a path is blamed on that repository's history only.
  if (options.use_cache)
    cache_file = cache_dir / "blame" / (git::mirror_name(loc.display) + ".log");
  auto origins = git::blame_lines(handle.get(), oid, lines, cache_file, stats);
  for (const auto& [file, by_line] : origins)
    for (const auto& [line, o] : by_line)
      out[marker_origin_key(file, line)] = {o.commit, format_iso8601(o.time)};
  return out;
}

}  // namespace flakegrab
