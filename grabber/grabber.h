#pragma once
// Public interface of the grabber: find muted-test markers in Python test code.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "grabber/progress.h"

namespace flakegrab {

enum class MarkerKind { xfail, skip, skipif, flaky, custom };
enum class MarkerScope { function, klass, module, param, runtime, fixture };

std::string_view to_string(MarkerKind);
std::string_view to_string(MarkerScope);
std::optional<MarkerKind> marker_kind_from_string(std::string_view);

// Which answer of the link step a record was made from (grabber/python/link_sites.h), so that
// a changed helper re-links the records of the files using it without parsing them again.
// Never output; never makes two records differ.
struct LinkTag {
  int site = -1;  // -1: not made from one
  int item = 0;   // which of the site's calls
  friend bool operator==(const LinkTag&, const LinkTag&) { return true; }
};

struct Marker {
  std::string test_id;  // pytest node id: "dir/test_a.py::TestX::test_y[param]"
  std::string file;     // path relative to the scan root, '/'-separated
  int line = 0;         // 1-based line where the marker is written
  std::string name;     // marker name after alias resolution, e.g. "xfailflake", "skip"
  MarkerKind kind = MarkerKind::custom;
  MarkerScope scope = MarkerScope::function;
  std::optional<std::string> reason;
  std::optional<std::string> ticket;
  std::optional<std::string> since;
  std::optional<std::string> condition;  // source text of the skipif/xfail condition
  std::optional<bool> strict;            // xfail(strict=...) when written, else null
  // Keyword arguments as written: keyword -> source text. Positional ones are keyed "0", "1"...
  std::vector<std::pair<std::string, std::string>> args;
  // False where pytest ignores the marker: marks on fixtures, and on a test or class that a
  // later definition of the same name in the same body replaces.
  bool effective = true;
  // Where the mark is written when that is not on the test itself (an alias, factory or
  // decorator function in a helper module, an ancestor class): "pkg/_test_decorators.py:123".
  std::optional<std::string> origin;
  std::optional<std::string> via;      // the ancestor class the mark came from ("file::Class")
  std::optional<std::string> factory;  // the mark factory called at the test ("pkg.util.skip_if")
  std::vector<std::pair<std::string, std::string>> factory_args;  // its call's args, as `args`
  bool resolved = true;  // false: a decorator whose name says mute but that was not resolved
  LinkTag link;

  friend bool operator==(const Marker&, const Marker&) = default;
};

struct ScanConfig {
  // Marker names that count, and what they mean. Keys are bare names ("xfail",
  // "xfailflake", "skipIf"); unittest decorators and runtime calls use the same table.
  std::map<std::string, MarkerKind, std::less<>> markers;
  std::vector<std::string> ticket_keys{"jira", "ticket", "issue", "bug"};
  std::vector<std::string> reason_keys{"reason", "msg"};
  std::vector<std::string> since_keys{"since"};
  // Glob patterns for test files; empty means pytest's config or its defaults.
  std::vector<std::string> python_files;
  bool all_files = false;
  std::uint64_t max_file_bytes = 2 * 1024 * 1024;
  // Parse every file whole. By default the bodies of functions that can hold nothing reported
  // are left out of the parse (grabber/python/regions.h); the records are the same either way,
  // so this is not part of hash().
  bool full_parse = false;

  static ScanConfig defaults();
  // Stable across runs and builds: keys the incremental cache.
  std::string hash() const;
};

// What the repo's own pytest configuration says (pytest.toml, pytest.ini, pyproject.toml's
// [tool.pytest] or [tool.pytest.ini_options], tox.ini's [pytest], setup.cfg's [tool:pytest]).
// An option that is not written is nullopt: pytest's default applies (an empty list written
// as `norecursedirs =` is not the default).
struct PytestConfig {
  std::optional<std::string> source;  // which file it came from
  std::optional<std::vector<std::string>> python_files;
  std::optional<std::vector<std::string>> python_classes;
  std::optional<std::vector<std::string>> python_functions;
  std::optional<std::vector<std::string>> norecursedirs;
  std::optional<std::vector<std::string>> testpaths;
  std::vector<std::string> registered_markers;  // names only, in file order
};

// pytest's python_classes and python_functions: a name is a test when it starts with one of
// the entries, or matches one that is a glob (has `*`, `?` or `[`). The extractor asks this for
// every class and function it might collect (methods of a unittest.TestCase use unittest's own
// `test` prefix instead, as pytest does).
struct TestNames {
  std::vector<std::string> classes{"Test"};
  std::vector<std::string> functions{"test"};
  bool is_test_class(std::string_view name) const;
  bool is_test_function(std::string_view name) const;
  bool is_default() const;
  // Stable text naming both lists, for cache keys.
  std::string fingerprint() const;
};

// One file's worth of extraction.
struct FileMarkers {
  std::vector<Marker> markers;
  bool parse_error = false;  // tree-sitter had to recover; markers are what it could
  // Other paths of the tree the markers depend on (sorted): modules whose summaries they
  // use, and every path the link step looked at, found or not (an added helper can change
  // them). A result is only reusable while they are unchanged.
  std::vector<std::string> dependencies;
  // How to re-link the markers without a parse (link_sites.h): the link step's questions and
  // answers, encoded; and the dependencies only those answers read, which may change while
  // the markers are re-linked (relink_markers) rather than extracted again.
  std::string link_sites;
  std::vector<std::string> relinkable;
};

struct SkippedFile {
  std::string file;
  // "binary", "not utf-8", "unknown encoding", "bad encoding", "too large", "too deeply nested",
  // "symlink", "submodule", "lfs pointer", and
  // "unreadable" (a file or, ending in '/', a directory that could not be read: the scan is
  // then incomplete)
  std::string reason;
  // Why an unreadable entry could not be read (e.g. "the repository at R is incomplete: object
  // SHA missing"); empty when the reason says it all.
  std::string detail = {};
  // The same skip: `detail` explains it (in libgit2's words, which vary) and is not compared.
  friend bool operator==(const SkippedFile& a, const SkippedFile& b) {
    return a.file == b.file && a.reason == b.reason;
  }
};

inline constexpr std::string_view kUnreadable = "unreadable";

struct ScanStats {
  std::uint64_t files_seen = 0;      // candidate files considered
  std::uint64_t files_parsed = 0;    // handed to tree-sitter (cache hits do not count)
  std::uint64_t files_cached = 0;    // answered from the incremental cache
  std::uint64_t files_relinked = 0;  // of those, re-linked to a changed helper (not parsed)
  std::uint64_t parse_errors = 0;
  std::vector<std::string> parse_error_files;  // the files parse_errors counts, sorted
  std::uint64_t markers = 0;
  std::vector<SkippedFile> skipped;
  std::vector<std::string> registered_markers;  // from PytestConfig
  std::vector<std::string> custom_markers;      // registered ones that are not pytest builtins
};

struct ScanResult {
  std::string root;
  std::string scanned_at;  // UTC ISO 8601
  std::vector<Marker> markers;
  ScanStats stats;
  // False when something that may hold tests could not be read (stats.skipped says what):
  // the markers are then a lower bound, and the exit code says so.
  bool complete = true;
};

// Whether no entry of `stats.skipped` is unreadable.
bool scan_is_complete(const ScanStats& stats);

// Extracts every marker of one Python file. Thread-safe; never throws on bad source.
// `names` says which classes and functions are tests (the repository's pytest config).
FileMarkers extract_markers(std::string_view rel_path, std::string_view source,
                            const ScanConfig& config, const TestNames& names = TestNames{});

// Parses one pytest config file by name ("pytest.ini", "tox.ini", "setup.cfg",
// "pyproject.toml"). Returns nullopt when the file has no pytest section.
std::optional<PytestConfig> parse_pytest_config(std::string_view file_name,
                                                std::string_view contents);

// pytest's python_files rule: does this path name a test file? Empty = pytest's defaults.
// A glob with a '/' is matched against the whole path, others against the file name.
bool is_test_file(std::string_view rel_path, const std::vector<std::string>& python_files);

// The config files pytest looks for at a rootdir, in its precedence order (pytest 9).
const std::vector<std::string>& pytest_config_names();

// pytest's choice among the config files at a root: the first of pytest_config_names() that
// `read(name)` returns (nullopt: no such file) and that holds pytest configuration. A file
// that cannot be parsed ends the search with nullopt: pytest would refuse to run, and the scan
// falls back to pytest's defaults.
std::optional<PytestConfig> find_pytest_config(
    const std::function<std::optional<std::string>(const std::string& name)>& read);

// Scans a working directory with `threads` workers (0 = all cores), telling `progress` (when
// not null) how far it got. Never aborts on one bad file. `cache_dir` (empty: none) keeps each
// file's result between runs, keyed by its bytes' git blob id and its path: the cache git scans
// keep there, so a checkout scanned after `dump` of its commit reuses what the dump found.
ScanResult scan_directory(const std::filesystem::path& root, const ScanConfig& config,
                          unsigned threads = 0, ProgressSink* progress = nullptr,
                          const std::filesystem::path& cache_dir = {});

// Loads a flakegrab config file (INI: [markers] NAME = KIND, [scan] keys) on top of base.
ScanConfig load_scan_config(const std::filesystem::path& file, ScanConfig base);

// ordered_json: fields (and a marker's args) keep their written order in the output.
nlohmann::ordered_json to_json(const Marker&);
nlohmann::ordered_json to_json(const ScanResult&);  // the full "scan" document
Marker marker_from_json(const nlohmann::ordered_json&);
ScanResult scan_from_json(const nlohmann::ordered_json&);

// Writes JSON to a stream as it goes, byte for byte as nlohmann's dump(indent) prints the same
// document (indent < 0: compact), so a large document is never built whole: its containers
// are opened and closed here, the small values in them are whole json values.
class JsonWriter {
 public:
  JsonWriter(std::ostream& out, int indent);
  ~JsonWriter();
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;
  void begin_object();
  void begin_array();
  void end();                       // closes the innermost object or array
  void key(std::string_view name);  // in an object: the next value's name
  void value(const nlohmann::ordered_json& v);
  // Scalars, written as value() writes them but without a JSON value made for each.
  void string(std::string_view s);
  void number(std::int64_t n);
  void boolean(bool b);
  void null();

 private:
  void element();  // a key, or a value in an array: its separator and indentation
  void before_value();
  void quoted(std::string_view s);  // s as a JSON string
  void written();                   // hands the buffer to the stream when it is due
  std::ostream& out_;
  // What is written goes through here, in 64 KiB pieces, and is all handed on once the
  // outermost value is complete (a caller may write to the stream after it).
  std::string buf_;
  int indent_;
  struct Serializer;
  std::unique_ptr<Serializer> serializer_;
  struct Open {
    char close;         // '}' or ']'
    std::size_t count;  // elements written so far
  };
  std::vector<Open> open_;
  bool after_key_ = false;
};

// to_json(r) streamed, then `extra`'s items (names the document does not have) as its last
// fields.
void write_json(JsonWriter& out, const ScanResult& r, const nlohmann::ordered_json& extra = {});
// to_json(m) streamed as one object, after `first` (string fields the marker does not have).
void write_json(JsonWriter& out, const Marker& m,
                const std::vector<std::pair<std::string_view, std::string_view>>& first = {});

}  // namespace flakegrab
