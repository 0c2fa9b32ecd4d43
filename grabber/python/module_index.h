#pragma once
// The tree's Python modules for the link step: a module's summary is read, parsed and
// summarized the first time a test module refers to it (any .py of the tree, test file or
// not), then kept for the rest of the scan. Thread-safe.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "grabber/grabber.h"

namespace flakegrab {

namespace extractor {
struct ModuleSummary;
}

class ModuleIndex {
 public:
  // The bytes of a file of the tree by its '/'-separated path; nullopt when there is none.
  using Reader = std::function<std::optional<std::string>(const std::string& path)>;
  struct Module {
    std::unique_ptr<extractor::ModuleSummary> summary;
    bool mentions_marker = false;  // its code names a mark (python::code_names_mark)
  };
  // The identity of a path's bytes in the tree (a git blob id), nullopt when there is no such
  // file: results that depend on other files are cached with their identities and reused
  // while every one is the same. A path ending in '/' is a directory ("/" the root): its
  // identity is that of its entries' names and kinds (directory_identity in
  // scan_pipeline.h), nullopt
  // when there is no such directory. Without it (uncached directory scans) nothing is
  // identified.
  using Identity = std::function<std::optional<std::string>(const std::string& path)>;
  // Collects, on the constructing thread while it lives, every path the index looks at (found
  // or not, parsed or only probed): what a file's result depends on, so that a helper added,
  // changed or removed is seen.
  class Recorder {
   public:
    Recorder();
    ~Recorder();
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;
    std::set<std::string> paths;

   private:
    Recorder* outer_;
  };
  // `root_package` is the name the scan root is imported under when it is itself a package
  // (has an __init__.py): a directory scan of site-packages/pandas sees `pandas.util.x` as
  // `util/x.py`. Empty when unknown.
  ModuleIndex(Reader read, const ScanConfig& config, std::uint64_t max_bytes,
              std::string root_package = {}, Identity identity = {});
  ~ModuleIndex();
  ModuleIndex(const ModuleIndex&) = delete;
  ModuleIndex& operator=(const ModuleIndex&) = delete;

  // The module `dotted` as imported from the file `from_path`: looked for beside the importing
  // file's package root (pytest's rootdir-less "prepend" import mode puts the first directory
  // up without an __init__.py on sys.path), then at the scan root, then under `src/` (a src
  // layout's package, installed when its tests run). Null when not in the tree. A result
  // depends on where it is found, not on its bytes: the caller records the names it uses
  // (symbol_key).
  const Module* find(const std::string& dotted, std::string_view from_path);
  // Where `find` would look the module up, without parsing it.
  std::optional<std::string> find_path(const std::string& dotted, std::string_view from_path);
  // Whether a file the prefilter dropped imports an in-tree module that may define marks
  // (its source, or that of a module it re-exports from, passes the prefilter): a name such as
  // `requires_dask` says nothing of skip or xfail where it is used.
  bool imports_marks(std::string_view path, std::string_view source);
  // The conftest.py modules from directory `dir` ("" = the root) up to the root, nearest
  // first: those whose fixtures a test module of `dir` sees.
  std::vector<const Module*> conftests_from(std::string dir);
  // Whether a file the prefilter dropped names a fixture of a conftest.py above it whose
  // params carry marks, or whose body skips or adds a mark (or that requests one), or such a
  // fixture is autouse there.
  bool requests_marked_fixtures(std::string_view path, std::string_view source);
  // Where helper modules' summaries are kept between scans, by path and identity (they depend
  // on the source alone): a module found there is not parsed. Without it (or an Identity),
  // each scan parses the helpers it uses.
  struct SummaryCache {
    std::function<std::optional<std::string>(const std::string& key)> get;
    std::function<void(const std::string& key, std::string bytes)> put;
  };
  void cache_summaries(SummaryCache cache) { summaries_ = std::move(cache); }
  // Whether paths can be identified (an Identity was given).
  bool identifies() const { return static_cast<bool>(identity_); }
  // Dependencies finer than a file's bytes. `existence_key(p)` holds while p is (or is not) a
  // usable module; `symbol_key(p, n)` while name n of p's summary stands for the same thing
  // (extractor::symbol_fingerprint): a test file that used one name of a helper keeps its
  // records when another of the helper's names changes.
  static std::string existence_key(const std::string& path) { return path + "?"; }
  static std::string symbol_key(const std::string& path, const std::string& name) {
    return path + "#" + name;
  }
  // The identity of a dependency key: a path ("" when there is no such file), a directory, or
  // one of the keys above (the file's identity, then what was read of it). Memoized for the
  // scan.
  std::string identity(const std::string& key);
  // Whether a result that recorded `recorded` as `key`'s identity still holds: the key's
  // identity is the same, or, for a key above, the file changed but not what was read of it.
  bool holds(const std::string& key, const std::string& recorded);
  // What a lookup of `path` makes a result depend on: its bytes, or only whether it is there
  // (the caller records what it reads of it).
  enum class Depend { bytes, existence };
  // The module at `path`, or null when there is no such (readable, decodable) file. `exact`:
  // a result depends on `path` itself being absent, not on its directory's names.
  const Module* load(const std::string& path, bool exact = false, Depend depend = Depend::bytes);
  // How many modules, and how many of their bytes, the index has parsed so far: the link
  // step's cost beyond the test files (`-v` reports it); and how many summaries it took from
  // the SummaryCache instead.
  struct Parsed {
    std::uint64_t modules = 0;
    std::uint64_t bytes = 0;
    std::uint64_t cached = 0;
  };
  Parsed parsed() const {
    return {parsed_modules_.load(), parsed_bytes_.load(), cached_summaries_.load()};
  }

 private:
  struct Slot;
  Slot& slot(const std::string& path);
  Slot& probe(const std::string& path, bool exact = false, Depend depend = Depend::bytes);
  struct FineKey {
    std::string path;
    std::optional<std::string> name;  // a symbol key's; nullopt for an existence key
  };
  static std::optional<FineKey> fine_key(const std::string& key);
  // What was read of the file: whether it is a module, or the name's symbol_fingerprint.
  std::string detail(const FineKey& k);
  // Whether the module at `path` (whose code names no mark) gives the file whose source is
  // `user` a mark from a module it imports: memoized per module, recorded for each caller.
  bool reexports_mark(const std::string& path, Slot& s, std::string_view user);
  // `present`, when given, is set when there is a file at `path`, usable or not.
  std::optional<std::string> source_of(const std::string& path, bool* present = nullptr);
  std::string absent_key(const std::string& path);
  std::string package_root(std::string_view from_path);
  std::optional<std::string> look_up(const std::string& dotted, std::string_view from_path);
  struct MarkedFixtures;
  const MarkedFixtures& marked_fixtures(const std::string& dir);
  std::map<std::string, std::unique_ptr<MarkedFixtures>> marked_;  // by directory
  Reader read_;
  Identity identity_;
  SummaryCache summaries_;
  std::map<std::string, std::string> identities_;  // under mu_
  ScanConfig config_;
  std::uint64_t max_bytes_;
  bool full_parse_;  // --full-parse: helpers are parsed whole too
  std::string root_package_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<Slot>> slots_;
  // find_path's answers by importing directory and module: the link step asks the same few
  // modules of every file of a directory, each asking dozens of probes. With the paths the
  // answer looked at, recorded again for each caller.
  struct Found {
    std::optional<std::string> path;
    std::vector<std::string> looked_at;
  };
  std::unordered_map<std::string, Found> found_;  // by "dir\0dotted", under mu_
  std::atomic<std::uint64_t> parsed_modules_{0};
  std::atomic<std::uint64_t> parsed_bytes_{0};
  std::atomic<std::uint64_t> cached_summaries_{0};
};

// Extracts one test file, following names into the tree's other modules through `index`.
// FileMarkers::dependencies lists the in-tree modules whose summaries the result used.
FileMarkers extract_markers_linked(std::string_view rel_path, std::string_view source,
                                   const ScanConfig& config, const TestNames& names,
                                   ModuleIndex* index);

// A cached result of extract_markers_linked re-linked to the tree's modules as they are now,
// when only dependencies it lists as relinkable changed: the link step's questions it kept are
// asked again and its records mended, the file not parsed (relink.cpp). Nullopt when that would
// not give what extracting it again gives (an answer of another shape, a record whose maker
// changed the answer): extract it.
std::optional<FileMarkers> relink_markers(std::string_view rel_path, const FileMarkers& cached,
                                          const ScanConfig& config, const TestNames& names,
                                          ModuleIndex* index);

}  // namespace flakegrab
