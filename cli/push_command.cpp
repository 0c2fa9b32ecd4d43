// `flakegrab push`: the daily job. Scan branches of a repository (or working trees, or scan
// documents written earlier by `dump`/`scan`) and append the markers to a history database.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "cli/commands.h"
#include "cli/db_option.h"
#include "cli/messages.h"
#include "cli/progress_renderer.h"
#include "cli/push_run.h"
#include "cli/ticket_options.h"
#include "grabber/grabber.h"
#include "grabber/marker_origins.h"
#include "grabber/repo.h"
#include "store/store.h"

namespace flakegrab::cli {
namespace {

// The history the scans are judged on, loaded before any scan so a bad input fails fast.
struct Judging {
  correlate::History history;
  std::string as_of;
};

// One scan's verdicts, as `correlate` would give them for its branch: evidence, ticket state,
// age from git (for a scanned commit) and expiry.
// `first_seen`: what the database knows of the markers (a marker new in this scan is first seen
// now), for mutes with neither since= nor a git age.
std::vector<correlate::VerdictRow> judge(const PushArgs& a, const Judging& j,
                                         const ScanSnapshot& snap, bool blame,
                                         std::vector<FirstSeen> first_seen) {
  auto result =
      correlate::correlate(snap.scan.markers, j.history, {j.as_of, a.history.judge, snap.branch});
  MarkerOrigins origins;
  if (blame && !snap.commit.empty()) {
    try {
      origins = blame_markers(snap.repo, snap.commit, snap.scan.markers,
                              to_repo_scan_options(a.repo_options, a.scan.threads));
    } catch (const Error& e) {
      warn(std::string("no marker age: ") + e.what());
    }
  }
  for (const auto& m : snap.scan.markers)
    first_seen.push_back({m.test_id, m.name, std::string(to_string(m.kind)), snap.scan.scanned_at});
  correlate::MarkerFirstSeen seen;
  merge_first_seen(seen, first_seen);
  annotate_mutes(result, a.history.tickets, a.scan, origins, j.as_of, seen);
  return std::move(result.rows);
}

}  // namespace

int run_push(const PushArgs& a, const std::string& command) {
  bool from_repos = repo_given(a.repo_options);
  if (from_repos + !a.dirs.empty() + !a.documents.empty() != 1)
    throw Error(command + ": give exactly one of REPO BRANCH..., --repos, --dir or --from");
  // Open the database first: a bad target fails before minutes of scanning.
  auto sink = open_history_sink(a.db);
  std::optional<Judging> judging;
  bool partial = false;  // a history input was skipped (named on stderr)
  if (has_history(a.history)) {
    check_ticket_args(a.history.tickets);
    judging.emplace();
    judging->as_of = resolve_as_of(a.history);
    judging->history = correlate::restrict_window(load_history(a.history, partial),
                                                  a.history.window_days, judging->as_of);
  } else if (!a.history.tickets.trackers.empty() || a.history.tickets.max_mute_days > 0) {
    throw Error(command +
                ": --tickets and --max-mute-days judge verdicts: give --bundle, --gitlab-url or "
                "--junit too");
  }

  std::vector<ScanSnapshot> snapshots;
  size_t failed = 0, attempted = 0;
  bool incomplete = false;  // stored with the scan (complete: false) and exit code 1
  if (from_repos) {
    auto requests = repo_requests(command, a.repo_options);
    if (requests.empty()) {  // --shard: this share of --repos is empty
      note(command + ": shard " + a.repo_options.shard + " holds none of " +
           a.repo_options.repos_file + "; nothing to push");
      return kExitOk;
    }
    RepoScanOptions options = to_repo_scan_options(a.repo_options, a.scan.threads);
    auto scans = scan_repositories(requests, to_scan_config(a.scan), options);
    attempted = scans.size();
    failed = report_failed_refs(scans, command);
    for (auto& s : scans)
      if (s.scan && report_unreadable(*s.scan, command)) incomplete = true;
    for (auto& s : scans)
      if (s.scan) snapshots.push_back({s.repo, s.branch, s.commit, std::move(*s.scan)});
  } else if (!a.dirs.empty()) {
    ScanConfig config = to_scan_config(a.scan);
    for (const auto& d : a.dirs) {
      ++attempted;
      if (!std::filesystem::is_directory(d)) throw Error(d + ": not a directory");
      ScanResult r = scan_directory(d, config, a.scan.threads, &progress(),
                                    directory_cache_dir(a.repo_options));
      incomplete = !r.complete || incomplete;
      for (const auto& f : r.stats.skipped) note(command + ": skipped " + f.file + ": " + f.reason);
      // A checkout records the branch and commit it has out, as a repository scan would.
      WorkingTreeHead head = working_tree_head(d);
      snapshots.push_back({std::filesystem::absolute(d).lexically_normal().string(), head.branch,
                           head.commit, std::move(r)});
    }
  } else {
    for (const auto& path : a.documents)
      for (auto& s : read_scan_documents(path))
        snapshots.push_back({s.repo, s.branch, s.commit, std::move(*s.scan)});
    attempted = snapshots.size();
  }
  if (snapshots.empty()) throw Error(command + ": nothing was scanned; nothing written");
  if (judging)
    for (auto& snap : snapshots)
      snap.verdicts =
          judge(a, *judging, snap, a.dirs.empty(), sink->first_seen(snap.repo, snap.branch));

  PushSummary s = sink->push(snapshots, {a.retention_days});
  std::string line = command + ": " + std::to_string(s.scans_written) + " scan(s), " +
                     std::to_string(s.markers_written) + " marker(s)";
  if (judging) line += ", " + std::to_string(s.verdicts_written) + " verdict(s)";
  line += " written to " + sink->describe();
  if (s.scans_already_present)
    line += "; " + std::to_string(s.scans_already_present) + " already there";
  if (a.retention_days)
    line += "; " + std::to_string(s.pruned.scans_deleted) + " older scan(s) deleted";
  note(line);
  int rc = exit_code_for(failed, attempted);
  return rc == kExitOk && (incomplete || partial) ? kExitPartial : rc;
}

void add_push_options(CLI::App* cmd, PushArgs& a) {
  cmd->add_option("--retention-days", a.retention_days,
                  "Also delete scans older than N days, in the same transaction (never the "
                  "newest scan of a repo/branch; first_seen is kept)")
      ->check(CLI::PositiveNumber)
      ->type_name("N");
  add_repo_options(cmd, a.repo_options);
  add_shard_option(cmd, a.repo_options);
  add_scan_options(cmd, a.scan);
  // Verdicts: the history options of `correlate` (its --config is the scan's).
  add_history_options(cmd, a.history);
  add_ticket_options(cmd, a.history.tickets);
}

void add_push_command(CLI::App& app, Runner& run) {
  auto a = std::make_shared<PushArgs>();
  auto* cmd = app.add_subcommand(
      "push", "Scan and append the markers to a history database (SQLite by default)");
  add_db_option(cmd, a->db);
  cmd->add_option("--dir", a->dirs, "Scan these working directories instead of a repository");
  cmd->add_option("--from", a->documents,
                  "Push scan documents written earlier by `scan` or `dump` instead of scanning");
  add_push_options(cmd, *a);
  cmd->footer(
      "Examples:\n"
      "  flakegrab push --db sqlite:history.db https://github.com/dcos/dcos.git master\n"
      "  flakegrab push --db postgresql://flakegrab@db.example/flakes --dir .\n"
      "  flakegrab push --repos repos.txt --bundle https://ci.example/bundle.json "
      "--tickets jira:https://jira.example");
  cmd->callback([&run, a] { run = [a] { return run_push(*a); }; });
}

}  // namespace flakegrab::cli
