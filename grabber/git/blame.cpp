#include "grabber/git/blame.h"

#include <algorithm>
#include <atomic>
#include <sstream>
#include <thread>

#include "base/cache_files.h"
#include "grabber/git/handles.h"

namespace flakegrab::git {
namespace {

using Blame = std::unique_ptr<git_blame, Deleter<git_blame, git_blame_free>>;
using TreeEntry = std::unique_ptr<git_tree_entry, Deleter<git_tree_entry, git_tree_entry_free>>;

// A record holds every line blamed so far for one blob at one path: "line sha time\n"...
std::map<int, LineOrigin> decode(const std::string& value) {
  std::map<int, LineOrigin> out;
  std::istringstream in(value);
  int line = 0;
  LineOrigin o;
  while (in >> line >> o.commit >> o.time) out[line] = o;
  return out;
}

std::string encode(const std::map<int, LineOrigin>& lines) {
  std::string out;
  for (const auto& [line, o] : lines)
    out += std::to_string(line) + " " + o.commit + " " + std::to_string(o.time) + "\n";
  return out;
}

std::optional<std::string> blob_of(git_tree* tree, const std::string& path) {
  git_tree_entry* raw = nullptr;
  if (git_tree_entry_bypath(&raw, tree, path.c_str()) < 0) return std::nullopt;
  TreeEntry entry(raw);
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) return std::nullopt;
  return oid_hex(*git_tree_entry_id(entry.get()));
}

// libgit2 invents a hunk for a line past the end of the file, so the caller checks first.
int line_count(git_repository* repo, const std::string& blob_hex) {
  git_oid oid;
  git_blob* raw = nullptr;
  if (git_oid_fromstr(&oid, blob_hex.c_str()) < 0 || git_blob_lookup(&raw, repo, &oid) < 0)
    return 0;
  Blob blob(raw);
  const char* p = static_cast<const char*>(git_blob_rawcontent(blob.get()));
  const auto n = static_cast<std::size_t>(git_blob_rawsize(blob.get()));
  int lines = static_cast<int>(std::count(p, p + n, '\n'));
  if (n > 0 && p[n - 1] != '\n') ++lines;
  return lines;
}

std::map<int, LineOrigin> blame_file(git_repository* repo, const git_oid& commit,
                                     const std::string& path, const std::vector<int>& lines) {
  git_blame_options opts;
  git_blame_options_init(&opts, GIT_BLAME_OPTIONS_VERSION);
  opts.newest_commit = commit;
  // Only the asked range: libgit2 stops following a commit once every line in it is assigned.
  opts.min_line = static_cast<std::size_t>(*std::min_element(lines.begin(), lines.end()));
  opts.max_line = static_cast<std::size_t>(*std::max_element(lines.begin(), lines.end()));
  git_blame* raw = nullptr;
  std::map<int, LineOrigin> out;
  if (git_blame_file(&raw, repo, path.c_str(), &opts) < 0) return out;
  Blame blame(raw);
  for (int line : lines) {
    const git_blame_hunk* hunk = git_blame_get_hunk_byline(blame.get(), static_cast<size_t>(line));
    if (!hunk || git_oid_is_zero(&hunk->final_commit_id)) continue;
    LineOrigin o;
    o.commit = oid_hex(hunk->final_commit_id);
    o.time = hunk->final_signature ? hunk->final_signature->when.time : 0;
    out[line] = std::move(o);
  }
  return out;
}

}  // namespace

LineOrigins blame_lines(git_repository* repo, const git_oid& commit,
                        const std::map<std::string, std::vector<int>>& lines,
                        const std::filesystem::path& cache_file, BlameStats* stats,
                        unsigned threads) {
  BlameStats local;
  BlameStats& st = stats ? *stats : local;
  LineOrigins out;
  git_commit* raw_commit = nullptr;
  if (git_commit_lookup(&raw_commit, repo, &commit) < 0) return out;
  Commit c(raw_commit);
  git_tree* raw_tree = nullptr;
  if (git_commit_tree(&raw_tree, c.get()) < 0) return out;
  Tree tree(raw_tree);

  LogContents cache;
  if (!cache_file.empty()) cache = read_log(cache_file);
  struct File {
    const std::string* path;
    const std::vector<int>* wanted;
    std::string key;
    std::map<int, LineOrigin> known;
    std::vector<int> missing;
    std::map<int, LineOrigin> got;
  };
  std::vector<File> files;
  for (const auto& [path, wanted] : lines) {
    if (wanted.empty()) continue;
    auto blob = blob_of(tree.get(), path);
    if (!blob) {
      ++st.files_failed;
      continue;
    }
    File f{&path, &wanted, *blob + ":" + path, {}, {}, {}};
    if (auto it = cache.records.find(f.key); it != cache.records.end())
      f.known = decode(it->second);
    for (int l : wanted)
      if (!f.known.contains(l)) f.missing.push_back(l);
    if (!f.missing.empty()) {
      const int n = line_count(repo, *blob);
      std::erase_if(f.missing, [n](int l) { return l < 1 || l > n; });
      if (f.missing.empty()) ++st.files_failed;
    } else if (!f.known.empty()) {
      ++st.files_cached;
    }
    files.push_back(std::move(f));
  }

  // Files are blamed in parallel, each worker on its own repository handle (libgit2 handles are
  // not shared between threads); the first worker uses the caller's.
  std::vector<File*> todo;
  for (auto& f : files)
    if (!f.missing.empty()) todo.push_back(&f);
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t workers = std::min<std::size_t>(threads, todo.size());
  std::atomic<std::size_t> next{0};
  auto work = [&](git_repository* r) {
    for (std::size_t i = next++; i < todo.size(); i = next++)
      todo[i]->got = blame_file(r, commit, *todo[i]->path, todo[i]->missing);
  };
  std::vector<std::thread> pool;
  std::vector<Repository> handles;
  const char* dir = git_repository_path(repo);
  for (std::size_t w = 1; w < workers; ++w) {
    git_repository* raw = nullptr;
    if (git_repository_open(&raw, dir) < 0) break;
    handles.emplace_back(raw);
  }
  for (auto& h : handles) pool.emplace_back(work, h.get());
  work(repo);
  for (auto& t : pool) t.join();

  std::vector<std::pair<std::string, std::string>> fresh;
  for (auto& f : files) {
    if (!f.missing.empty()) {
      if (f.got.empty()) {
        ++st.files_failed;
      } else {
        ++st.files_blamed;
        f.known.merge(f.got);
        fresh.emplace_back(f.key, encode(f.known));
      }
    }
    auto& dest = out[*f.path];
    for (int l : *f.wanted)
      if (auto it = f.known.find(l); it != f.known.end()) dest[l] = it->second;
  }
  if (!cache_file.empty() && !fresh.empty()) {
    try {
      if (cache.corrupt) {
        for (auto& [k, v] : fresh) cache.records[k] = v;
        rewrite_log(cache_file, cache.records);
      } else {
        append_log(cache_file, fresh);
      }
    } catch (const Error&) {
      // A read-only cache makes the next run slower, not this one wrong.
    }
  }
  return out;
}

}  // namespace flakegrab::git
