#include "grabber/scan_pipeline.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <thread>

#include "base/fnv1a.h"
#include "grabber/file_checks.h"
#include "grabber/prefilter.h"
#include "grabber/python/module_index.h"
#include "grabber/scan_records.h"
#include "grabber/source_text.h"

namespace flakegrab {

namespace {

CachedFile scan_with(const ScanJob& job, const ScanConfig& config, const Prefilter* prefilter,
                     const TestNames& names, ModuleIndex* modules) {
  CachedFile out;
  std::uint64_t size = job.size;
  try {
    if (job.size_of) size = job.size_of();
  } catch (const std::exception& e) {
    out.skip_reason = std::string(kUnreadable);
    out.skip_detail = e.what();
    return out;
  }
  if (size > config.max_file_bytes) {
    out.skip_reason = "too large";
    return out;
  }
  std::string bytes;
  try {
    bytes = job.read();
  } catch (const std::exception& e) {
    out.skip_reason = std::string(kUnreadable);
    out.skip_detail = e.what();
    return out;
  }
  if (bytes.size() > config.max_file_bytes) {
    out.skip_reason = "too large";
    return out;
  }
  if (auto reason = file_skip_reason(bytes)) {
    out.skip_reason = *reason;
    return out;
  }
  SourceText source = python_source_text(std::move(bytes));
  if (source.skip_reason) {
    out.skip_reason = *source.skip_reason;
    return out;
  }
  // Every path the index looks at, for the prefilter's re-check too: a file dropped because
  // its helper defined no mark must be looked at again when the helper changes. Only a scan
  // whose paths have identities (a git tree) caches results that depend on other paths.
  std::optional<ModuleIndex::Recorder> looked_at;
  if (modules && modules->identifies()) looked_at.emplace();
  bool dropped = false;
  if (prefilter && !prefilter->may_contain_marker(source.text)) {
    // What the re-check looks at (every module `import pandas` re-exports from) matters only
    // when it drops the file: one extracted anyway depends on what its records used.
    std::optional<ModuleIndex::Recorder> check;
    if (looked_at) check.emplace();
    dropped = !(modules && (modules->imports_marks(job.path, source.text) ||
                            modules->requests_marked_fixtures(job.path, source.text)));
    if (check && !dropped) check->paths.clear();
  }
  if (!dropped)
    out.markers = modules ? extract_markers_linked(job.path, source.text, config, names, modules)
                          : extract_markers(job.path, source.text, config, names);
  if (looked_at) {
    auto& deps = out.markers.dependencies;
    looked_at->paths.insert(deps.begin(), deps.end());
    looked_at->paths.erase(job.path);
    deps.assign(looked_at->paths.begin(), looked_at->paths.end());
  }
  return out;
}

// Whether a cached result still holds: each path it depends on is as it was.
bool still_holds(const CachedFile& f, ModuleIndex* modules) {
  if (f.depends_on.empty()) return true;
  if (!modules || !modules->identifies()) return false;
  for (const auto& [key, id] : f.depends_on)
    if (!modules->holds(key, id)) return false;
  return true;
}

// A cached result none of whose changed dependencies is one its records only re-link to (a
// helper's mark, factory or alias): re-linked, not extracted again.
std::optional<CachedFile> relinked(const CachedFile& f, const std::string& path,
                                   const ScanConfig& config, const TestNames& names,
                                   ModuleIndex* modules) {
  if (!modules || !modules->identifies() || f.markers.link_sites.empty()) return std::nullopt;
  const auto& relinkable = f.markers.relinkable;
  for (const auto& [key, id] : f.depends_on)
    if (!modules->holds(key, id) && !std::binary_search(relinkable.begin(), relinkable.end(), key))
      return std::nullopt;
  auto markers = relink_markers(path, f.markers, config, names, modules);
  if (!markers) return std::nullopt;
  CachedFile out;
  out.markers = std::move(*markers);
  for (const auto& d : out.markers.dependencies)
    out.depends_on.emplace_back(d, modules->identity(d));
  return out;
}

// Reads the file now to key it by its bytes; scan_with then gets those bytes, or the same error.
void key_by_bytes(ScanJob& job) {
  try {
    auto bytes = std::make_shared<std::string>(job.read());
    job.cache_key = job.key_of(*bytes);
    job.read = [bytes] { return std::move(*bytes); };
  } catch (const std::exception& e) {
    job.read = [what = std::string(e.what())]() -> std::string { throw Error(what); };
  }
}

}  // namespace

CachedFile scan_one(const ScanJob& job, const ScanConfig& config, bool use_prefilter,
                    const TestNames& names) {
  if (!use_prefilter) return scan_with(job, config, nullptr, names, nullptr);
  Prefilter prefilter(config);
  return scan_with(job, config, &prefilter, names, nullptr);
}

ScanResult scan_jobs(std::vector<ScanJob> jobs, const ScanConfig& config, ScanCache* cache,
                     unsigned threads, const TestNames& names, const JobProgress& progress,
                     ModuleIndex* modules) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = std::min<unsigned>(threads, std::max<std::size_t>(1, jobs.size()));
  Prefilter prefilter(config);
  if (cache && modules && modules->identifies())
    modules->cache_summaries({[cache](const std::string& key) { return cache->get_bytes(key); },
                              [cache](const std::string& key, std::string bytes) {
                                cache->put_bytes(key, std::move(bytes));
                              }});

  // Only per-file results are kept; file bytes die inside the worker that read them. Their
  // markers are held in the caches' compact form (packed) until the merge: a Marker is ~460
  // bytes before its strings, and 20,000 files' worth of them held as structs was most of a
  // scan's memory.
  std::vector<CachedFile> results(jobs.size());
  std::vector<std::string> packed(jobs.size());
  std::vector<std::size_t> counts(jobs.size(), 0);
  std::vector<char> parsed(jobs.size(), 0), cached(jobs.size(), 0), relinks(jobs.size(), 0);
  std::atomic<std::size_t> next{0}, done{0};
  auto pack = [&](std::size_t i) {
    CachedFile& r = results[i];
    counts[i] = r.markers.markers.size();
    records::Writer w;
    w.markers(r.markers.markers);
    packed[i] = std::move(w.bytes());
    r.markers = FileMarkers{{}, r.markers.parse_error, {}, {}, {}};
    r.depends_on = {};
  };
  // The cached result under `key`, re-linked when only what it re-links to changed.
  auto cached_result = [&](std::size_t i, const std::string& key) -> std::optional<CachedFile> {
    auto hit = cache->get(key);
    if (hit && !still_holds(*hit, modules)) {
      if (auto r = relinked(*hit, jobs[i].path, config, names, modules)) {
        hit = std::move(r);
        cache->put(key, *hit);
        relinks[i] = 1;
      } else {
        hit.reset();
      }
    }
    return hit;
  };
  auto one = [&](std::size_t i) {
    ScanJob& job = jobs[i];
    std::optional<CachedFile> hit;
    if (cache && job.cache_key.empty() && !job.stat_key.empty())
      hit = cached_result(i, job.stat_key);
    if (!hit && cache && job.cache_key.empty() && job.key_of && job.size <= config.max_file_bytes)
      key_by_bytes(job);
    if (!hit && cache && !job.cache_key.empty() && job.cache_key != job.stat_key)
      hit = cached_result(i, job.cache_key);
    if (hit) {
      results[i] = std::move(*hit);
      cached[i] = 1;
      job.read = nullptr;  // bytes read ahead for the key die here, not with the job list
      return;
    }
    results[i] = scan_with(job, config, &prefilter, names, modules);
    parsed[i] = !results[i].skip_reason;
    // An unreadable blob may be fetched whole later: only answers about its bytes are kept.
    // Records linked through other paths hold only while those are unchanged.
    const auto& deps = results[i].markers.dependencies;
    if (cache && !job.cache_key.empty() && results[i].skip_reason != kUnreadable &&
        (deps.empty() || (modules && modules->identifies()))) {
      for (const auto& d : deps) results[i].depends_on.emplace_back(d, modules->identity(d));
      cache->put(job.cache_key, results[i]);
    }
  };
  auto work = [&] {
    for (std::size_t i = next++; i < jobs.size(); i = next++) {
      one(i);
      pack(i);
      if (progress) progress(++done, jobs.size());
    }
  };
  std::vector<std::jthread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  pool.clear();

  ScanResult out;
  out.stats.files_seen = jobs.size();
  // One allocation for all markers, each file's packed ones freed once read.
  std::size_t total = 0;
  for (std::size_t i = 0; i < jobs.size(); ++i) total += results[i].skip_reason ? 0 : counts[i];
  out.markers.reserve(total);
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    auto& r = results[i];
    if (r.skip_reason) {
      out.stats.skipped.push_back({jobs[i].path, *r.skip_reason, r.skip_detail});
      continue;
    }
    out.stats.files_parsed += parsed[i];
    out.stats.files_cached += cached[i];
    out.stats.files_relinked += relinks[i];
    if (r.markers.parse_error) out.stats.parse_error_files.push_back(jobs[i].path);
    records::Reader(packed[i]).markers(out.markers);
    std::string().swap(packed[i]);
  }
  std::sort(out.markers.begin(), out.markers.end(), [](const Marker& a, const Marker& b) {
    return std::tie(a.file, a.line, a.test_id, a.name) <
           std::tie(b.file, b.line, b.test_id, b.name);
  });
  std::sort(out.stats.skipped.begin(), out.stats.skipped.end(),
            [](const SkippedFile& a, const SkippedFile& b) { return a.file < b.file; });
  std::sort(out.stats.parse_error_files.begin(), out.stats.parse_error_files.end());
  out.stats.parse_errors = out.stats.parse_error_files.size();
  out.stats.markers = out.markers.size();
  out.complete = scan_is_complete(out.stats);
  return out;
}

std::string relinked_note(const ScanStats& stats) {
  return stats.files_relinked ? " (" + std::to_string(stats.files_relinked) + " re-linked)" : "";
}

std::string file_cache_key(std::string_view blob_hex, const std::string& path,
                           const TestNames& names, const std::string& marks_key) {
  std::string key = std::string(blob_hex) + ":" + path;
  if (!names.is_default()) key += ":" + names.fingerprint();
  return key + marks_key;
}

std::string file_identity(std::string_view blob_hex, unsigned mode) {
  return std::string(blob_hex) + ":" + std::to_string(mode);
}

namespace {

// Whether an import can find the entry: a module `NAME.py` or a package directory `NAME/`
// whose NAME is an identifier (bytes past ASCII allowed: Python's identifiers may hold them).
// `.git/`, `my-scripts/` and `test.old.py` can never be imported; `__pycache__/`, which Python
// writes beside every module it runs, is never imported either.
bool importable(const std::string& entry) {
  std::string_view name(entry);
  if (name.ends_with('/')) {
    name.remove_suffix(1);
  } else if (name.ends_with(".py")) {
    name.remove_suffix(3);
  } else {
    return false;
  }
  if (name.empty() || name == "__pycache__" || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char ch) {
    const auto u = static_cast<unsigned char>(ch);
    return u >= 0x80 || std::isalnum(u) || ch == '_';
  });
}

}  // namespace

std::string directory_identity(std::vector<std::string> entries) {
  std::erase_if(entries, [](const std::string& e) { return !importable(e); });
  std::sort(entries.begin(), entries.end());
  std::uint64_t h = kFnv1aOffsetBasis;
  for (const auto& e : entries) h = fnv1a64(std::string_view(e.c_str(), e.size() + 1), h);
  return "dir:" + hex64(h);
}

bool scan_is_complete(const ScanStats& stats) {
  return std::none_of(stats.skipped.begin(), stats.skipped.end(),
                      [](const SkippedFile& f) { return f.reason == kUnreadable; });
}

ScanConfig with_registered_marks(const ScanConfig& config,
                                 const std::optional<PytestConfig>& pytest,
                                 std::string& key_suffix) {
  ScanConfig out = config;
  key_suffix.clear();
  if (!pytest) return out;
  std::string added;
  for (const auto& m : pytest->registered_markers) {
    if (is_pytest_builtin_marker(m) || out.markers.count(m)) continue;
    out.markers[m] = MarkerKind::custom;
    added += m + "\n";
  }
  if (!added.empty()) key_suffix = ":marks=" + hex64(fnv1a64(added));
  return out;
}

bool is_pytest_builtin_marker(std::string_view name) {
  static const char* const builtins[] = {"skip",        "skipif",         "xfail",    "parametrize",
                                         "usefixtures", "filterwarnings", "tryfirst", "trylast"};
  for (const char* b : builtins)
    if (name == b) return true;
  return false;
}

void record_registered_markers(const PytestConfig& pytest, ScanStats& stats) {
  stats.registered_markers = pytest.registered_markers;
  stats.custom_markers.clear();
  for (const auto& m : pytest.registered_markers)
    if (!is_pytest_builtin_marker(m)) stats.custom_markers.push_back(m);
}

}  // namespace flakegrab
