#pragma once
// Scan options shared by every scanning command, and the repository options shared by every
// command that scans a git repository (`dump`, `push`, `correlate`, `serve`): one definition so
// an option means the same everywhere.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "grabber/auth_policy.h"
#include "grabber/grabber.h"
#include "grabber/repo.h"

namespace flakegrab::cli {

struct ScanOptionsArgs {
  std::vector<std::string> markers;  // NAME=KIND
  std::string config_file;
  bool all_files = false;
  bool full_parse = false;
  std::string max_file_size;  // "2MiB", "500k", "1000"; empty = keep the default
  unsigned threads = 0;       // 0 = all cores
};

void add_scan_options(CLI::App* cmd, ScanOptionsArgs& args);

// "2MiB", "2M", "500k", "500KiB", "1G" or plain bytes (binary units); nullopt when malformed.
std::optional<std::uint64_t> parse_byte_size(const std::string& text);

// Throws Error naming the bad --marker, --max-file-size or --config.
ScanConfig to_scan_config(const ScanOptionsArgs& args);

// --allow-insecure-auth: the one switch for every credential flakegrab sends (git remotes,
// GitLab, issue trackers) to also go over plain http. Shared so every command that sends a
// credential registers the same flag (once per command).
void add_insecure_auth_flag(CLI::App* cmd, bool& allow);

// What to scan and how: the REPO BRANCH... positionals or --repos FILE, and the mirror options.
struct RepoOptionsArgs {
  std::string repo;               // REPO
  std::vector<std::string> refs;  // BRANCH...
  std::string repos_file;         // --repos FILE instead of REPO BRANCH...
  std::string cache_dir;
  bool all_branches = false;
  bool no_cache = false;
  int retries = 3;
  AuthPolicy auth;
  std::string shard;  // --shard I/N (push, dump): only the repositories of --repos in share I
};

// Registers the REPO and BRANCH... positionals and --repos, --cache-dir, --all-branches,
// --no-cache and --retries.
void add_repo_options(CLI::App* cmd, RepoOptionsArgs& args);

// --shard I/N for `push` and `dump`: with --repos, only the repositories whose normalised URL
// hashes to share I of N (see repo_shard), so N pods split one list and each repository always
// lands on the same pod.
void add_shard_option(CLI::App* cmd, RepoOptionsArgs& args);

// Whether a repository was asked for at all (REPO or --repos).
bool repo_given(const RepoOptionsArgs& args);

RepoScanOptions to_repo_scan_options(const RepoOptionsArgs& args, unsigned threads);

// The scan cache for a working directory (`push --dir`, `--scan-dir`): the --cache-dir given,
// as `scan --cache-dir` takes it; none without one (a checkout is read and hashed file by file,
// which costs a first scan more than it saves), nor with --no-cache.
std::string directory_cache_dir(const RepoOptionsArgs& args);

// What to scan: REPO BRANCH... or the --repos list (exactly one of them), restricted to --shard
// (possibly to nothing). Throws Error naming what is missing or malformed; `command` prefixes the
// message.
std::vector<RepoRequest> repo_requests(const std::string& command, const RepoOptionsArgs& args);

// Names each ref that could not be scanned on stderr ("flakegrab: COMMAND: ..."); returns how
// many there were.
std::size_t report_failed_refs(const std::vector<RefScan>& scans, const std::string& command);

// Names each unreadable file or directory of an incomplete scan on stderr ("flakegrab:
// COMMAND: ROOT: FILE: unreadable (scan incomplete): WHY"), and each file with a parse error
// (one line each, a warning: the scan stays complete); returns whether the scan was incomplete.
bool report_unreadable(const ScanResult& scan, const std::string& command);

}  // namespace flakegrab::cli
