#pragma once
// Scanning branches of a git repository straight from its object database (libgit2 only).
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "grabber/auth_policy.h"
#include "grabber/grabber.h"
#include "grabber/progress.h"

namespace flakegrab {

struct RepoScanOptions {
  std::filesystem::path cache_dir;   // empty = $XDG_CACHE_HOME/flakegrab or ~/.cache/flakegrab
  bool all_branches = false;         // scan every branch in addition to `refs`
  unsigned threads = 0;              // 0 = all cores
  int retries = 3;                   // extra attempts on transient network errors
  bool use_cache = true;             // incremental per-blob / per-tree result cache
  AuthPolicy auth;                   // where tokens may be sent (--allow-insecure-auth)
  ProgressSink* progress = nullptr;  // told about fetches and scans as they go; may be null
};

struct RefScan {
  std::string repo;    // credentials stripped
  std::string ref;     // as asked (a glob expands to one RefScan per match)
  std::string branch;  // resolved short name: branch, tag, or the sha when a commit was asked
  std::string commit;  // full sha, empty when resolution failed
  std::optional<ScanResult> scan;
  std::optional<std::string> error;  // one line, names the repo, never a secret
};

// Opens (local path) or mirrors+fetches (URL) `repo`, resolves `refs` (names, globs such as
// "release/*", tags, shas) and scans each commit's tree. Per-ref failures land in
// RefScan::error; throws flakegrab::Error only when the repository itself cannot be reached.
std::vector<RefScan> scan_repository(std::string_view repo, const std::vector<std::string>& refs,
                                     const ScanConfig& config, const RepoScanOptions& options);

// One entry of a repository list: a repository and the refs to scan in it.
struct RepoRequest {
  std::string repo;
  std::vector<std::string> refs;
};

// A repository list: one `REPO [BRANCH...]` per line; `#` starts a comment; blank lines are
// skipped. Throws Error naming `source` when it lists nothing.
std::vector<RepoRequest> parse_repo_list(std::string_view text, const std::string& source);

// Which of `count` shares a repository belongs to: FNV-1a 64 of repo_shard_key(repo) mod count.
// Stable across runs, builds and machines, so a repository stays on one pod (and its cache).
std::string repo_shard_key(std::string_view repo);
std::size_t repo_shard(std::string_view repo, std::size_t count);

// "I/N" with 0 <= I < N; throws Error naming the text otherwise.
struct RepoShard {
  std::size_t index = 0, count = 1;
};
RepoShard parse_repo_shard(std::string_view text);

// scan_repository over several repositories. One that cannot be reached becomes a single failed
// RefScan (empty ref) and the others still run.
std::vector<RefScan> scan_repositories(const std::vector<RepoRequest>& requests,
                                       const ScanConfig& config, const RepoScanOptions& options);

// The scan document plus repo, branch, commit (or repo, ref, error when it failed).
nlohmann::ordered_json to_json(const RefScan&);
// The same, streamed: the bytes of to_json(r).dump(indent) at the writer's place.
void write_json(JsonWriter& out, const RefScan& r);
// One line per marker of a scanned ref (none for one that failed): its repo, branch and commit,
// then to_json(marker)'s fields, compact (`dump --format ndjson`).
void write_ndjson(std::ostream& out, const RefScan& r);

// The scans in a document printed by `scan` (one or several PATHs) or `dump` (one or several
// refs: a `scans` array). Scans of working trees have the root as `repo` and no branch or
// commit. Throws Error naming `source` and what is wrong.
std::vector<RefScan> scans_from_document(const nlohmann::ordered_json& doc,
                                         const std::string& source);
std::vector<RefScan> read_scan_documents(const std::filesystem::path& file);

// What the git repository holding a working directory has checked out (searched upwards from
// `dir`): the branch's short name ("" when HEAD is detached) and the commit's sha; both ""
// when `dir` is in no repository or its HEAD is unborn.
struct WorkingTreeHead {
  std::string branch, commit;
};
WorkingTreeHead working_tree_head(const std::filesystem::path& dir);

}  // namespace flakegrab
