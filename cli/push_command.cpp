// `flakegrab push`: the daily job. Scan branches of a repository (or working trees, or scan
// documents written earlier by `dump`/`scan`) and append the markers to a history database.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/scan_options.h"
#include "grabber/error.h"
#include "grabber/read_file.h"
#include "grabber/repo.h"
#include "grabber/scan_pipeline.h"
#include "store/store.h"

namespace flakegrab::cli {
namespace {

struct PushArgs {
  std::string db = "sqlite:flakegrab.db";
  std::vector<std::string> repo_refs;  // REPO BRANCH...
  std::string repos_file;
  std::vector<std::string> dirs;
  std::vector<std::string> documents;
  std::string cache_dir;
  bool all_branches = false;
  ScanOptionsArgs scan;
};

int run_push(const PushArgs& a) {
  int sources =
      !a.repo_refs.empty() + !a.repos_file.empty() + !a.dirs.empty() + !a.documents.empty();
  if (sources != 1)
    throw Error("push: give exactly one of REPO BRANCH..., --repos, --dir or --from");
  // Open the database first: a bad target fails before minutes of scanning.
  auto sink = open_history_sink(a.db);

  std::vector<ScanSnapshot> snapshots;
  size_t failed = 0, attempted = 0;
  if (!a.repo_refs.empty() || !a.repos_file.empty()) {
    std::vector<RepoRequest> requests;
    if (!a.repos_file.empty()) {
      requests = parse_repo_list(read_whole_file(a.repos_file), a.repos_file);
    } else {
      if (a.repo_refs.size() < 2 && !a.all_branches)
        throw Error("push: name at least one BRANCH after REPO, or pass --all-branches");
      requests.push_back({a.repo_refs[0], {a.repo_refs.begin() + 1, a.repo_refs.end()}});
    }
    RepoScanOptions options;
    options.cache_dir = a.cache_dir;
    options.all_branches = a.all_branches;
    options.threads = a.scan.threads;
    for (auto& s : scan_repositories(requests, to_scan_config(a.scan), options)) {
      ++attempted;
      if (!s.scan) {
        ++failed;
        std::fprintf(stderr, "flakegrab: push: %s\n", s.error.value_or("not scanned").c_str());
        continue;
      }
      snapshots.push_back({s.repo, s.branch, s.commit, std::move(*s.scan)});
    }
  } else if (!a.dirs.empty()) {
    ScanConfig config = to_scan_config(a.scan);
    for (const auto& d : a.dirs) {
      ++attempted;
      if (!std::filesystem::is_directory(d)) throw Error(d + ": not a directory");
      ScanResult r = scan_directory(d, config, a.scan.threads);
      for (const auto& f : r.stats.skipped)
        std::fprintf(stderr, "flakegrab: push: skipped %s: %s\n", f.file.c_str(), f.reason.c_str());
      snapshots.push_back(
          {std::filesystem::absolute(d).lexically_normal().string(), "", "", std::move(r)});
    }
  } else {
    for (const auto& path : a.documents)
      for (auto& s : read_scan_documents(path))
        snapshots.push_back({s.repo, s.branch, s.commit, std::move(*s.scan)});
    attempted = snapshots.size();
  }
  if (snapshots.empty()) throw Error("push: nothing was scanned; nothing written");

  PushSummary s = sink->push(snapshots);
  std::fprintf(stderr, "flakegrab: push: %zu scan(s), %zu marker(s) written to %s", s.scans_written,
               s.markers_written, sink->describe().c_str());
  if (s.scans_already_present) std::fprintf(stderr, "; %zu already there", s.scans_already_present);
  std::fputc('\n', stderr);
  return failed == 0 ? kExitOk : (failed == attempted ? kExitError : kExitPartial);
}

}  // namespace

void add_push_command(CLI::App& app, Runner& run) {
  auto a = std::make_shared<PushArgs>();
  auto* cmd = app.add_subcommand(
      "push", "Scan and append the markers to a history database (SQLite by default)");
  cmd->add_option("repo_branches", a->repo_refs,
                  "REPO then BRANCH... (as for dump: globs, tags and shas allowed)");
  cmd->add_option("--db", a->db,
                  "History database: sqlite:PATH (default sqlite:flakegrab.db) or a bare path");
  cmd->add_option("--repos", a->repos_file,
                  "Scan the repositories listed in FILE: one 'REPO [BRANCH...]' per line");
  cmd->add_option("--dir", a->dirs, "Scan these working directories instead of a repository");
  cmd->add_option("--from", a->documents,
                  "Push scan documents written earlier by `scan` or `dump` instead of scanning");
  cmd->add_option("--cache-dir", a->cache_dir, "Mirror and scan cache directory (as for dump)");
  cmd->add_flag("--all-branches", a->all_branches, "Scan every branch of REPO");
  cmd->add_option("--threads", a->scan.threads, "Scanner threads (0 = all cores)");
  add_scan_options(cmd, a->scan);
  cmd->callback([&run, a] { run = [a] { return run_push(*a); }; });
}

}  // namespace flakegrab::cli
