#include "grabber/repo.h"

#include <algorithm>
#include <mutex>
#include <ostream>
#include <shared_mutex>

#include "base/cache_dir.h"
#include "base/cache_files.h"
#include "base/iso8601.h"
#include "grabber/git/damage.h"
#include "grabber/git/handles.h"
#include "grabber/git/mirror.h"
#include "grabber/git/refs.h"
#include "grabber/git/scan_cache.h"
#include "grabber/git/tree_listing.h"
#include "grabber/git/url.h"
#include "grabber/python/module_index.h"
#include "grabber/scan_pipeline.h"
#include "grabber/scan_records.h"

namespace flakegrab {

namespace fs = std::filesystem;

namespace {

// Whole-tree results: an unchanged root tree under the same config is answered without walking.
fs::path tree_result_file(const fs::path& cache_dir, const std::string& config_hash,
                          const git_oid& tree) {
  return cache_dir / "scan" / "trees" / (config_hash + "-" + git::oid_hex(tree) + ".bin");
}

std::optional<ScanResult> load_tree_result(const fs::path& file) {
  auto bytes = read_checked_file(file);
  if (!bytes) return std::nullopt;
  try {
    return records::decode_scan(*bytes);
  } catch (const records::Corrupt&) {
    return std::nullopt;  // verified bytes that do not decode: a format change, rescan
  }
}

// The identity of directory `dir` ("a/b/", "/" the root) of `tree`: its entries' names.
std::optional<std::string> tree_identity(const git_tree* tree, const std::string& dir) {
  git::Tree owned;
  const git_tree* t = tree;
  if (dir != "/") {
    git_tree_entry* e = nullptr;
    if (git_tree_entry_bypath(&e, tree, dir.substr(0, dir.size() - 1).c_str()) < 0)
      return std::nullopt;
    git_tree* sub = nullptr;
    int rc = git_tree_entry_type(e) == GIT_OBJECT_TREE
                 ? git_tree_lookup(&sub, git_tree_owner(tree), git_tree_entry_id(e))
                 : -1;
    git_tree_entry_free(e);
    if (rc < 0) return std::nullopt;
    owned.reset(sub);
    t = sub;
  }
  std::vector<std::string> names;
  for (size_t i = 0, n = git_tree_entrycount(t); i < n; ++i) {
    const git_tree_entry* e = git_tree_entry_byindex(t, i);
    names.push_back(std::string(git_tree_entry_name(e)) +
                    (git_tree_entry_type(e) == GIT_OBJECT_TREE ? "/" : ""));
  }
  return directory_identity(std::move(names));
}

ScanResult scan_tree(git_odb* odb, const git_tree* tree, const ScanConfig& base_config,
                     const RepoScanOptions& options, ScanCache* cache, const std::string& what) {
  git::TreeListing listing = git::list_tree(odb, tree, base_config);
  std::string marks_key;
  const ScanConfig config = with_registered_marks(base_config, listing.pytest, marks_key);
  std::vector<ScanJob> jobs;
  jobs.reserve(listing.candidates.size());
  for (auto& c : listing.candidates) {
    ScanJob job;
    job.path = c.path;
    git_oid oid = c.blob;
    job.size_of = [odb, oid]() { return git::blob_size(odb, oid); };
    job.read = [odb, oid]() { return git::read_blob(odb, oid); };
    job.cache_key = file_cache_key(git::oid_hex(c.blob), c.path, listing.names, marks_key);
    jobs.push_back(std::move(job));
  }
  JobProgress on_job;
  if (options.progress)
    on_job = [&](std::size_t done, std::size_t total) {
      options.progress->scanning(what, done, total);
    };
  // Helper modules are read from the same tree, whether or not they are test files.
  ModuleIndex modules(
      [odb, tree](const std::string& path) -> std::optional<std::string> {
        git_tree_entry* e = nullptr;
        if (git_tree_entry_bypath(&e, tree, path.c_str()) < 0) return std::nullopt;
        std::optional<std::string> out;
        if (git_tree_entry_type(e) == GIT_OBJECT_BLOB &&
            git_tree_entry_filemode(e) != GIT_FILEMODE_LINK)
          out = git::read_blob(odb, *git_tree_entry_id(e));
        git_tree_entry_free(e);
        return out;
      },
      config, config.max_file_bytes, {},
      // A path's blob id, without reading it: what a cached result depends on is checked by it.
      [tree](const std::string& path) -> std::optional<std::string> {
        if (path.ends_with('/')) return tree_identity(tree, path);
        git_tree_entry* e = nullptr;
        if (git_tree_entry_bypath(&e, tree, path.c_str()) < 0) return std::nullopt;
        std::optional<std::string> out;
        if (git_tree_entry_type(e) == GIT_OBJECT_BLOB)
          out = file_identity(git::oid_hex(*git_tree_entry_id(e)), git_tree_entry_filemode(e));
        git_tree_entry_free(e);
        return out;
      });
  ScanResult result =
      scan_jobs(std::move(jobs), config, cache, options.threads, listing.names, on_job, &modules);
  result.stats.files_seen += listing.skipped_seen;
  for (auto& s : listing.skipped) result.stats.skipped.push_back(std::move(s));
  std::sort(result.stats.skipped.begin(), result.stats.skipped.end(),
            [](const SkippedFile& a, const SkippedFile& b) { return a.file < b.file; });
  result.complete = scan_is_complete(result.stats);
  if (listing.pytest) record_registered_markers(*listing.pytest, result.stats);
  return result;
}

}  // namespace

std::vector<RefScan> scan_repository(std::string_view repo, const std::vector<std::string>& refs,
                                     const ScanConfig& config, const RepoScanOptions& options) {
  git::RepoLocation loc = git::parse_location(repo);
  bool need_cache_dir = loc.remote || options.use_cache;
  fs::path cache_dir = options.cache_dir;
  if (need_cache_dir && cache_dir.empty()) cache_dir = default_cache_dir();
  git::Repository handle =
      git::open_repository(loc, cache_dir, options.retries, options.auth, options.progress);
  std::vector<git::ResolvedRef> resolved =
      git::resolve_refs(handle.get(), refs, options.all_branches, loc.display);

  git_odb* raw_odb = nullptr;
  git::check(git_repository_odb(&raw_odb, handle.get()), "cannot open objects of " + loc.display);
  git::Odb odb(raw_odb);
  std::string config_hash = config.hash();
  std::unique_ptr<git::DiskScanCache> cache;
  if (options.use_cache) {
    cache = std::make_unique<git::DiskScanCache>(cache_dir / "scan" /
                                                 ("files-" + config_hash + ".log"));
  }

  std::vector<RefScan> out;
  for (auto& r : resolved) {
    RefScan rs;
    rs.repo = loc.display;
    rs.ref = r.ref;
    rs.branch = r.branch;
    if (r.error) {
      rs.error = *r.error;
      out.push_back(std::move(rs));
      continue;
    }
    rs.commit = git::oid_hex(r.commit);
    try {
      git_commit* raw_commit = nullptr;
      if (int rc = git_commit_lookup(&raw_commit, handle.get(), &r.commit); rc < 0)
        throw Error(git::repository_object_error(loc.display, rc, r.commit));
      git::Commit commit(raw_commit);
      git_tree* raw_tree = nullptr;
      if (int rc = git_commit_tree(&raw_tree, commit.get()); rc < 0)
        throw Error(
            git::repository_object_error(loc.display, rc, *git_commit_tree_id(commit.get())));
      git::Tree tree(raw_tree);
      std::optional<ScanResult> result;
      fs::path tree_file;
      if (options.use_cache) {
        tree_file = tree_result_file(cache_dir, config_hash, *git_tree_id(tree.get()));
        result = load_tree_result(tree_file);
        if (result) {
          result->stats.files_cached += result->stats.files_parsed;
          result->stats.files_parsed = 0;
          result->stats.files_relinked = 0;  // that scan's work, not this one's
        }
      }
      if (!result) {
        result = scan_tree(odb.get(), tree.get(), config, options, cache.get(),
                           loc.display + "@" + rs.branch);
        // An unreadable blob may be readable after the next fetch: do not freeze it in.
        if (options.use_cache && result->complete) {
          try {
            write_checked_file(tree_file, records::encode_scan(*result));
          } catch (const Error&) {
            // A read-only cache slows the next run down; it does not fail this one.
          }
        }
      }
      result->root = loc.display;
      result->scanned_at = utc_now_iso8601();
      if (options.progress)
        options.progress->finished("scanned " + loc.display + "@" + rs.branch + ": " +
                                   std::to_string(result->stats.markers) + " markers in " +
                                   std::to_string(result->stats.files_seen) + " files (" +
                                   std::to_string(result->stats.files_cached) + " cached" +
                                   relinked_note(result->stats) + ")");
      rs.scan = std::move(result);
    } catch (const Error& e) {
      std::string msg = e.what();
      rs.error = msg.find(loc.display) == std::string::npos ? loc.display + ": " + msg : msg;
    }
    out.push_back(std::move(rs));
  }
  if (cache) cache->flush();
  return out;
}

nlohmann::ordered_json to_json(const RefScan& r) {
  if (!r.scan)
    return {{"repo", r.repo}, {"ref", r.ref}, {"error", r.error.value_or("not scanned")}};
  nlohmann::ordered_json j = to_json(*r.scan);
  j["repo"] = r.repo;
  j["branch"] = r.branch;
  j["commit"] = r.commit;
  return j;
}

void write_json(JsonWriter& out, const RefScan& r) {
  if (!r.scan) {
    out.value(to_json(r));
    return;
  }
  write_json(out, *r.scan, {{"repo", r.repo}, {"branch", r.branch}, {"commit", r.commit}});
}

void write_ndjson(std::ostream& out, const RefScan& r) {
  if (!r.scan) return;
  JsonWriter line(out, -1);
  // Identity first: where the marker was found, then the marker.
  const std::vector<std::pair<std::string_view, std::string_view>> where = {
      {"repo", r.repo}, {"branch", r.branch}, {"commit", r.commit}};
  for (const auto& m : r.scan->markers) {
    write_json(line, m, where);
    out << '\n';
  }
}

}  // namespace flakegrab
