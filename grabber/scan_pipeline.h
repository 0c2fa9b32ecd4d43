#pragma once
// The shared scan pipeline: directory and git scans both turn files into ScanJobs and hand
// them to scan_jobs, which checks, prefilters, extracts and merges them deterministically.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "grabber/grabber.h"
#include "grabber/progress.h"

namespace flakegrab {

class ModuleIndex;

struct ScanJob {
  std::string path;  // relative to the scan root, '/'-separated
  std::uint64_t size = 0;
  // When set, asked for the size instead, on a worker and only on a cache miss (a git blob's
  // header costs about as much as reading a small blob). May throw: the file is "unreadable".
  std::function<std::uint64_t()> size_of;
  std::function<std::string()> read;  // called at most once, on a worker thread
  std::string cache_key;              // empty = uncached (e.g. a git blob id + path otherwise)
  // Without a cache_key: the key of the file's bytes (a working directory's file), so that
  // with a cache the worker reads the file before asking it. Not asked of a file larger than
  // `size` allows.
  std::function<std::string(std::string_view bytes)> key_of;
  // With key_of: the key the file's unchanged stat data vouches for (StatIndex), tried before
  // reading it. On a miss the file is read and keyed by its bytes all the same, so that a
  // result is never kept under a key its bytes do not have.
  std::string stat_key;
};

// " (12 re-linked)" for a scan some of whose cached results were re-linked, else empty: for the
// `-v` summary line.
std::string relinked_note(const ScanStats& stats);

struct CachedFile {
  std::optional<std::string> skip_reason;
  std::string skip_detail;  // what failed, for an unreadable file; never cached
  FileMarkers markers;
  // The other paths of the tree the result depends on (markers.dependencies) with their
  // identities then ("" = absent): a cached result holds while each is the same.
  std::vector<std::pair<std::string, std::string>> depends_on;
};

// Must be thread-safe: scan_jobs calls it from several workers at once.
class ScanCache {
 public:
  virtual ~ScanCache() = default;
  virtual std::optional<CachedFile> get(const std::string& key) = 0;
  virtual void put(const std::string& key, const CachedFile&) = 0;
  // Other bytes kept beside the results under keys of their own (helper modules' summaries,
  // ModuleIndex::cache_summaries); a cache may keep none.
  virtual std::optional<std::string> get_bytes(const std::string&) { return std::nullopt; }
  virtual void put_bytes(const std::string&, std::string) {}
};

// A file's cache key, the same for a git blob and a working directory's file of the same bytes
// (so that a checkout scanned after `dump` of its commit reuses the dump's results): its blob
// id, its path (markers carry it: a renamed blob is a different entry), and what decides its
// result besides its bytes: which names are tests when not pytest's default, and `marks_key`
// (with_registered_marks).
std::string file_cache_key(std::string_view blob_hex, const std::string& path,
                           const TestNames& names, const std::string& marks_key);
// A file's identity for ModuleIndex, as a git tree gives it: blob id and file mode.
std::string file_identity(std::string_view blob_hex, unsigned mode);

// A directory's identity for ModuleIndex: the names of its entries that an import can find
// (`NAME.py` and `NAME/` with an identifier NAME, a directory's given with a trailing '/';
// not `__pycache__/`), in any order. Changes when such an entry is added, removed, renamed or
// changes kind; a README, `.git/` or `__pycache__/` does not change it, so a checkout's
// directories are identified as its commit's are.
std::string directory_identity(std::vector<std::string> entries);

// Runs one job outside the pool (no cache): size cap, read, file checks, prefilter, extract.
CachedFile scan_one(const ScanJob& job, const ScanConfig& config, bool use_prefilter = true,
                    const TestNames& names = TestNames{});

// Told, from the workers, how many of how many jobs are done after each one.
using JobProgress = std::function<void(std::size_t done, std::size_t total)>;

// `modules`: the tree's Python modules for the link step (names imported from helper modules),
// or null to extract each file alone. Results that depend on other paths of the tree are
// cached only when `modules` identifies paths, with those paths' identities, and reused while
// they are the same; the helper summaries it makes are kept in `cache` too.
// threads == 0 means all cores. Results are sorted by file, line, test_id. `names`: which
// classes and functions are tests; a cache shared across different names needs them in its
// keys (ScanJob::cache_key).
ScanResult scan_jobs(std::vector<ScanJob> jobs, const ScanConfig& config, ScanCache* cache,
                     unsigned threads, const TestNames& names = TestNames{},
                     const JobProgress& progress = {}, ModuleIndex* modules = nullptr);

// Pytest builtin marker names: registered markers outside this set are "custom".
bool is_pytest_builtin_marker(std::string_view name);

// Fills stats.registered_markers and stats.custom_markers from the repository's pytest config.
void record_registered_markers(const PytestConfig& pytest, ScanStats& stats);

// The scan config a tree is scanned with: `config` plus, as kind custom, each mark the tree's
// pytest config registers (`markers =`) that is no pytest builtin and that `config` does not
// name. A conftest hook or plugin gives a registered mark its effect (a `slow` skipped without
// --runslow, scipy's `skip_xp_backends`), which the source cannot show: it is reported, kind
// custom, for the user to judge. `key_suffix` is set to what results cached under `config`'s
// hash must add to their keys ("" when nothing is added).
ScanConfig with_registered_marks(const ScanConfig& config,
                                 const std::optional<PytestConfig>& pytest,
                                 std::string& key_suffix);

// Reads the pytest config at root, pytest's precedence (find_pytest_config).
std::optional<PytestConfig> read_pytest_config(const std::filesystem::path& root);

}  // namespace flakegrab
