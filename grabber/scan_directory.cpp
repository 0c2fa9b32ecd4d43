#include <algorithm>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "base/fnv1a.h"
#include "base/iso8601.h"
#include "base/read_file.h"
#include "grabber/collection_rules.h"
#include "grabber/directory_walk.h"
#include "grabber/git/handles.h"
#include "grabber/git/scan_cache.h"
#include "grabber/python/module_index.h"
#include "grabber/scan_pipeline.h"
#include "grabber/stat_index.h"

namespace flakegrab {

namespace fs = std::filesystem;

std::optional<PytestConfig> read_pytest_config(const fs::path& root) {
  return find_pytest_config([&](const std::string& name) -> std::optional<std::string> {
    std::error_code ec;
    if (!fs::is_regular_file(root / name, ec)) return std::nullopt;
    return read_whole_file(root / name);
  });
}

namespace {

struct DirectoryListing {
  std::vector<ScanJob> jobs;
  std::vector<SkippedFile> early;  // symlinks and unreadable entries: seen, never read
  std::unordered_map<std::string, FileStat> stats;  // the jobs' files', as listed
  bool testpath_found = false;
};

DirectoryListing list_directory(const fs::path& root, const CollectionRules& rules) {
  DirectoryListing out;
  DirectoryWalk walk = walk_directory(root, [&](const std::string& dir, bool venv) {
    out.testpath_found = out.testpath_found || rules.is_testpath(dir);
    return rules.enters(dir, venv);
  });
  for (auto& f : walk.files) {
    out.testpath_found = out.testpath_found || rules.is_testpath(f.rel);
    if (!rules.selects(f.rel)) continue;
    if (f.symlink) {
      out.early.push_back({f.rel, "symlink"});
      continue;
    }
    ScanJob job;
    job.path = f.rel;
    job.size = f.stat.size;
    job.read = [root, rel = f.rel] { return read_file_beneath(root, rel); };
    out.stats.emplace(f.rel, f.stat);
    out.jobs.push_back(std::move(job));
  }
  // A directory that cannot be listed may hold any number of tests; a file that cannot be
  // looked at counts when its name says it would have been scanned.
  for (auto& u : walk.unreadable) {
    if (!u.directory && !rules.selects(u.rel)) continue;
    out.early.push_back({u.rel, std::string(kUnreadable)});
  }
  return out;
}

// The name the root is imported under should it be a package (a scan of site-packages/pandas).
std::string import_name(const fs::path& root) {
  std::error_code ec;
  fs::path full = fs::canonical(root, ec);
  if (ec) return {};
  return full.filename().string();
}

// libgit2, for blob ids, started when the first file is hashed: its start loads the system's
// CA certificates, a twentieth of a rescan that hashes nothing (every file known by its stat).
class BlobHasher {
 public:
  std::string hex(std::string_view bytes) {
    std::call_once(started_, [this] { git_.emplace(); });
    return git::blob_id_hex(bytes);
  }

 private:
  std::once_flag started_;
  std::optional<git::Library> git_;
};

// A path's identity as a git tree would give it, for what a cached result depends on: a
// regular file's blob id and mode, a directory's entry names ("a/b/", "/" the root); nullopt
// when there is no such file or directory. A file is read and hashed unless `stats` vouches
// for its blob id.
std::optional<std::string> path_identity(const fs::path& root, const std::string& rel,
                                         StatIndex* stats, BlobHasher& hasher) {
  std::error_code ec;
  if (rel.ends_with('/')) {  // a directory: its entries' names
    fs::path dir = rel == "/" ? root : root / rel.substr(0, rel.size() - 1);
    if (!fs::is_directory(fs::symlink_status(dir, ec))) return std::nullopt;
    std::vector<std::string> names;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      names.push_back(it->path().filename().string() +
                      (it->is_directory(ec) && !it->is_symlink(ec) ? "/" : ""));
    if (ec) throw Error("cannot list " + dir.string() + ": " + ec.message());
    return directory_identity(std::move(names));
  }
  std::optional<FileStat> st = stat_beneath(root, rel);
  if (!st) return std::nullopt;
  std::optional<std::string> blob = stats ? stats->blob(rel, *st) : std::nullopt;
  if (!blob) {
    blob = hasher.hex(read_file_beneath(root, rel));
    if (stats) stats->note(rel, *st, *blob);
  }
  return flakegrab::file_identity(*blob, (st->mode & 0100) ? 0100755 : 0100644);
}

// Where a cache directory keeps the stat index of the scan root (one per root: blob ids do
// not depend on the scanner's config).
fs::path stat_index_file(const fs::path& cache_dir, const fs::path& root) {
  std::error_code ec;
  fs::path full = fs::canonical(root, ec);
  return cache_dir / "scan" / ("stat-" + hex64(fnv1a64((ec ? root : full).string())) + ".idx");
}

}  // namespace

ScanResult scan_directory(const fs::path& root, const ScanConfig& base_config, unsigned threads,
                          ProgressSink* progress, const fs::path& cache_dir) {
  // A root that cannot be read has no config; walk_directory then throws naming it.
  std::optional<PytestConfig> pytest;
  try {
    pytest = read_pytest_config(root);
  } catch (const Error&) {
    pytest.reset();  // an unreadable config file does not stop the scan; defaults apply
  }
  std::string marks_key;
  const ScanConfig config = with_registered_marks(base_config, pytest, marks_key);
  const std::int64_t started_ns = wall_clock_ns();  // before any file is looked at
  CollectionRules rules(config, pytest);
  DirectoryListing listing =
      walk_with_testpaths(rules, [&](const CollectionRules& r) { return list_directory(root, r); });
  std::vector<ScanJob> jobs = std::move(listing.jobs);
  std::vector<SkippedFile> early = std::move(listing.early);
  const std::uint64_t early_seen = early.size();
  std::sort(jobs.begin(), jobs.end(),
            [](const ScanJob& a, const ScanJob& b) { return a.path < b.path; });
  JobProgress on_job;
  const std::string what = root.string();
  if (progress)
    on_job = [&](std::size_t done, std::size_t total) { progress->scanning(what, done, total); };
  const std::string package = import_name(root);
  BlobHasher hasher;  // for blob ids, when caching
  std::unique_ptr<git::DiskScanCache> cache;
  std::unique_ptr<StatIndex> stats;
  ModuleIndex::Identity identity;
  if (!cache_dir.empty()) {
    cache = std::make_unique<git::DiskScanCache>(cache_dir / "scan" /
                                                 ("files-" + base_config.hash() + ".log"));
    stats = std::make_unique<StatIndex>(stat_index_file(cache_dir, root), started_ns);
    identity = [root, s = stats.get(), &hasher](const std::string& rel) {
      return path_identity(root, rel, s, hasher);
    };
    // As git scans key them, plus what only a directory has: the name its root is imported
    // under when it is a package (`import pandas.util` resolves into a scan of .../pandas).
    std::error_code ec;
    std::string package_key =
        fs::is_regular_file(root / "__init__.py", ec) ? ":package=" + package : "";
    // Asked only inside scan_jobs below, while `rules` and `marks_key` live.
    for (auto& job : jobs) {
      const FileStat& st = listing.stats.at(job.path);
      if (auto blob = stats->blob(job.path, st))
        job.stat_key = file_cache_key(*blob, job.path, rules.names(), marks_key) + package_key;
      job.key_of = [path = job.path, &names = rules.names(), &marks_key, package_key, st,
                    s = stats.get(), &hasher](std::string_view bytes) {
        std::string blob = hasher.hex(bytes);
        s->note(path, st, blob);
        return file_cache_key(blob, path, names, marks_key) + package_key;
      };
    }
  }
  // Helper modules are read where the tree has them, whether or not they are test files.
  ModuleIndex modules(
      [root](const std::string& rel) -> std::optional<std::string> {
        std::error_code ec;
        if (!fs::is_regular_file(fs::symlink_status(root / rel, ec))) return std::nullopt;
        return read_file_beneath(root, rel);
      },
      config, config.max_file_bytes, package, identity);
  ScanResult result =
      scan_jobs(std::move(jobs), config, cache.get(), threads, rules.names(), on_job, &modules);
  if (cache) cache->flush();
  if (stats) stats->save();
  result.stats.files_seen += early_seen;
  for (auto& s : early) result.stats.skipped.push_back(std::move(s));
  std::sort(result.stats.skipped.begin(), result.stats.skipped.end(),
            [](const SkippedFile& a, const SkippedFile& b) { return a.file < b.file; });
  result.complete = scan_is_complete(result.stats);
  result.root = root.string();
  result.scanned_at = utc_now_iso8601();
  if (pytest) record_registered_markers(*pytest, result.stats);
  if (progress) {
    const ModuleIndex::Parsed helpers = modules.parsed();
    progress->finished("scanned " + what + ": " + std::to_string(result.stats.markers) +
                       " markers in " + std::to_string(result.stats.files_seen) + " files (" +
                       (cache ? std::to_string(result.stats.files_cached) + " cached" +
                                    relinked_note(result.stats) + ", " +
                                    std::to_string(stats->vouched()) + " known by stat, "
                              : "") +
                       std::to_string(helpers.modules) + " modules parsed for the link step, " +
                       std::to_string(helpers.bytes) + " bytes)");
  }
  return result;
}

}  // namespace flakegrab
