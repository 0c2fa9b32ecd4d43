#include "cli/correlate_inputs.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>

#include "base/error.h"
#include "base/iso8601.h"
#include "base/redact_url.h"
#include "cli/db_option.h"
#include "cli/messages.h"
#include "cli/progress_renderer.h"
#include "correlate/time_util.h"
#include "grabber/grabber.h"
#include "grabber/marker_origins.h"
#include "grabber/repo.h"

namespace flakegrab::cli {
namespace {

// Dates the markers of one scanned commit from git; a failure costs the age, not the result.
void add_origins(const std::string& repo, const RefScan& s, MarkerOrigins& origins) {
  try {
    for (auto& [key, o] : blame_markers(repo, s.commit, s.scan->markers, {}))
      if (auto [it, fresh] = origins.emplace(key, o); !fresh && o.date < it->second.date)
        it->second = o;  // the same file and line on several branches: the oldest
  } catch (const Error& e) {
    warn(std::string("no marker age: ") + e.what());
  }
}

// The download limits, under the one --allow-insecure-auth flag (registered with the ticket
// options, so once per command).
correlate::FetchLimits download_limits(const CorrelateInputs& a) {
  correlate::FetchLimits limits = a.download;
  limits.auth.allow_insecure = a.tickets.allow_insecure_auth;
  return limits;
}

// Markers by the branch they were scanned on ("" for a directory): each branch is judged on
// its own runs.
using BranchMarkers = std::map<std::string, std::vector<Marker>>;

// `scanned`: the repo/branch of each scan, as `push` records it (first_seen is kept per both).
BranchMarkers load_markers(const CorrelateInputs& a, bool& partial, MarkerOrigins& origins,
                           std::vector<ScanIdentity>& scanned) {
  if (!a.scan_json.empty()) {
    BranchMarkers out;
    for (auto& s : read_scan_documents(a.scan_json)) {
      scanned.emplace_back(s.repo, s.branch);
      auto& to = out[s.branch];
      to.insert(to.end(), s.scan->markers.begin(), s.scan->markers.end());
      // A `dump` document names its repository and commit: date its markers from there.
      if (!s.commit.empty()) add_origins(s.repo, s, origins);
    }
    return out;
  }
  if (!a.scan_dir.empty()) {
    if (!std::filesystem::is_directory(a.scan_dir)) throw Error(a.scan_dir + ": not a directory");
    ScanResult r = scan_directory(a.scan_dir, to_scan_config(a.scan), a.scan.threads, &progress(),
                                  directory_cache_dir(a.repo));
    if (report_unreadable(r, "correlate")) partial = true;
    if (!a.db.empty())
      scanned.emplace_back(std::filesystem::absolute(a.scan_dir).lexically_normal().string(),
                           working_tree_head(a.scan_dir).branch);
    return {{"", r.markers}};
  }
  if (repo_given(a.repo)) {
    RepoScanOptions options = to_repo_scan_options(a.repo, a.scan.threads);
    options.auth.allow_insecure = a.tickets.allow_insecure_auth;  // the one shared flag
    auto scans =
        scan_repositories(repo_requests("correlate", a.repo), to_scan_config(a.scan), options);
    BranchMarkers out;
    bool any = false;
    for (const auto& s : scans) {
      if (s.error) {
        warn(*s.error);
        partial = true;
      }
      if (s.scan) {
        any = true;
        scanned.emplace_back(s.repo, s.branch);
        if (report_unreadable(*s.scan, "correlate")) partial = true;
        auto& to = out[s.branch];
        to.insert(to.end(), s.scan->markers.begin(), s.scan->markers.end());
        add_origins(a.repo.repo.empty() ? s.repo : a.repo.repo, s, origins);
      }
    }
    if (!any) throw Error("correlate: no branch could be scanned");
    return out;
  }
  throw Error("correlate: give markers with --scan FILE, --scan-dir DIR or REPO BRANCH...");
}

void add_judge_options(CLI::App* cmd, correlate::JudgeOptions& j) {
  cmd->add_option("--confidence", j.confidence,
                  "Confidence of the failure-rate bounds that decide unmute and mute")
      ->check(CLI::Range(0.001, 0.9999))
      ->capture_default_str();
  cmd->add_option("--max-fail-rate", j.max_fail_rate,
                  "Unmute when the failure rate is surely at most this; mute when surely above")
      ->check(CLI::Range(0.0001, 0.9999))
      ->capture_default_str();
  cmd->add_option("--min-runs", j.min_runs, "Runs with a result before any unmute, at least")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--infra-fail-ratio", j.infra_fail_ratio,
                  "A run in which more than this share of tests failed is an infrastructure "
                  "failure, not evidence")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--history-branch", j.history_branch,
                  "Judge markers on this branch's runs (default: the markers' own branch)");
}

}  // namespace

CLI::Option* add_flaky_report_option(CLI::App* cmd, std::vector<std::string>& logs) {
  return cmd
      ->add_option("--flaky-report", logs,
                   "pytest output holding the flaky plugin's report, beside the run's JUnit "
                   "report (same directory; same stem when there are several)")
      ->check(CLI::ExistingFile);
}

correlate::JunitReadResult read_junit_inputs(const std::string& command,
                                             const std::vector<std::string>& junit,
                                             const std::vector<std::string>& flaky_reports,
                                             unsigned threads) {
  correlate::JunitReadResult read = correlate::read_junit(junit, threads);
  for (const auto& w : read.warnings) warn(w);
  if (read.reports.empty()) throw Error(command + ": no readable JUnit report among the inputs");
  for (const auto& w : correlate::attach_flaky_report_files(read.reports, flaky_reports)) warn(w);
  return read;
}

bool has_history(const CorrelateInputs& a) {
  return !a.junit.empty() || !a.gitlab_url.empty() || !a.bundle.empty();
}

std::string resolve_as_of(const CorrelateInputs& a) {
  if (a.as_of.empty()) return utc_now_iso8601();
  auto n = correlate::normalize_iso8601(a.as_of);
  if (!n) throw Error("--as-of: expected an ISO 8601 date, got " + a.as_of);
  return *n;
}

namespace {
correlate::History history_of(const correlate::Bundle& b) {
  for (const auto& w : b.warnings) warn(w);
  return correlate::history_from_bundle(b);
}
}  // namespace

correlate::History load_history(const CorrelateInputs& a, bool& partial) {
  using namespace flakegrab::correlate;
  if (!a.junit.empty()) {
    JunitReadResult read = read_junit_inputs("correlate", a.junit, a.flaky_reports);
    partial = partial || read.malformed || read.missing;
    JunitHistoryOptions ho;
    ho.grouping = a.run_by == "dir" ? RunGrouping::directory : RunGrouping::file;
    return history_from_junit(read.reports, ho);
  }
  if (!a.gitlab_url.empty()) {
    if (a.project.empty()) throw Error("correlate: --gitlab-url needs --project");
    GitlabSource src;
    src.base_url = a.gitlab_url;
    src.project = a.project;
    src.package = a.package;
    src.file_name = a.package_file;
    if (const char* t = std::getenv("GITLAB_TOKEN"); t && *t) {
      src.token_header = "PRIVATE-TOKEN";
      src.token = t;
      src.token_name = "GITLAB_TOKEN";
    } else if (const char* j = std::getenv("CI_JOB_TOKEN"); j && *j) {
      src.token_header = "JOB-TOKEN";
      src.token = j;
      src.token_name = "CI_JOB_TOKEN";
    }
    Fetched f = fetch_gitlab_bundle(src, download_limits(a));
    return history_of(parse_bundle(f.body, f.source));
  }
  if (!a.bundle.empty()) {
    if (a.bundle.rfind("http://", 0) == 0 || a.bundle.rfind("https://", 0) == 0) {
      Fetched f = fetch_url(a.bundle, download_limits(a));
      return history_of(parse_bundle(f.body, f.source));
    }
    return history_of(read_bundle_file(a.bundle));
  }
  if (a.history_optional) return {};
  throw Error("correlate: give history with --bundle, --gitlab-url or --junit");
}

correlate::CorrelateResult correlate_inputs(const CorrelateInputs& a, bool& partial) {
  using namespace flakegrab::correlate;
  std::string as_of = resolve_as_of(a);
  // Checked before the history is fetched, so a bad command line fails fast.
  if (a.scan_json.empty() && a.scan_dir.empty()) {
    if (!repo_given(a.repo))
      throw Error("correlate: give markers with --scan FILE, --scan-dir DIR or REPO BRANCH...");
    repo_requests("correlate", a.repo);
  }
  check_ticket_args(a.tickets);  // before any slow scan or fetch
  History history = load_history(a, partial);
  MarkerOrigins origins;
  std::vector<ScanIdentity> scanned;
  BranchMarkers markers = load_markers(a, partial, origins, scanned);
  history = restrict_window(history, a.window_days, as_of);
  std::vector<CorrelateResult> parts;
  for (const auto& [branch, ms] : markers)
    parts.push_back(correlate::correlate(ms, history, {as_of, a.judge, branch}));
  if (parts.empty()) parts.push_back(correlate::correlate({}, history, {as_of, a.judge, ""}));
  CorrelateResult result = merge_results(std::move(parts));
  annotate_mutes(result, a.tickets, a.scan, origins, as_of, read_marker_first_seen(a.db, scanned));
  return result;
}

void add_correlate_inputs(CLI::App* cmd, CorrelateInputs& a) {
  add_repo_options(cmd, a.repo);
  auto* scan =
      cmd->add_option("--scan", a.scan_json, "Scan document printed by `flakegrab scan` or `dump`");
  auto* dir = cmd->add_option("--scan-dir", a.scan_dir, "Working directory to scan for markers");
  scan->excludes(dir);
  add_history_options(cmd, a);
  add_scan_options(cmd, a.scan);
  add_ticket_options(cmd, a.tickets);
  add_first_seen_db_option(cmd, a.db);
}

void add_history_options(CLI::App* cmd, CorrelateInputs& a) {
  auto* bundle = cmd->add_option("--bundle", a.bundle, "Flake-history bundle: file or http(s) URL");
  auto* gitlab = cmd->add_option("--gitlab-url", a.gitlab_url,
                                 "GitLab base URL; bundle from a Generic Package (newest version)");
  cmd->add_option("--project", a.project, "GitLab project id or group/project");
  cmd->add_option("--package", a.package, "Generic package name")->capture_default_str();
  cmd->add_option("--package-file", a.package_file,
                  "File in the package (default: bundle.json, else the first *.json)");
  auto* junit = cmd->add_option("--junit", a.junit, "JUnit XML file, directory or glob");
  bundle->excludes(gitlab)->excludes(junit);
  gitlab->excludes(junit);
  add_flaky_report_option(cmd, a.flaky_reports)->needs(junit);
  cmd->add_option("--run-by", a.run_by, "JUnit: one run per report 'file' or per 'dir'")
      ->check(CLI::IsMember({"file", "dir"}));
  cmd->add_option("--window-days", a.window_days, "Only runs of the last N days before --as-of");
  cmd->add_option("--as-of", a.as_of,
                  "Reference date for the window and days muted, ISO 8601 such as 2026-01-31 "
                  "or 2026-01-31T12:00:00Z (default: now)");
  add_judge_options(cmd, a.judge);
  cmd->add_option("--max-download-bytes", a.download.max_bytes,
                  "Refuse a remote bundle larger than BYTES")
      ->capture_default_str();
  cmd->add_option_function<double>(
         "--download-timeout",
         [&a](double s) {
           a.download.deadline = std::chrono::milliseconds(static_cast<long long>(s * 1000));
         },
         "Give up a remote bundle download after SECONDS in all (default 300)")
      ->check(CLI::PositiveNumber);
}

}  // namespace flakegrab::cli
