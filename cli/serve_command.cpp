// `flakegrab serve REPO BRANCH...`: the markers of every branch (and, with history, their
// verdicts) as Redash data sources, rescanned in the background.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "base/error.h"
#include "cli/commands.h"
#include "cli/correlate_inputs.h"
#include "cli/db_option.h"
#include "cli/messages.h"
#include "cli/progress_renderer.h"
#include "cli/scan_options.h"
#include "cli/ticket_options.h"
#include "grabber/grabber.h"
#include "grabber/marker_origins.h"
#include "grabber/repo.h"
#include "serve/report_server.h"

namespace flakegrab::cli {
namespace {

struct ServeArgs {
  RepoOptionsArgs repo_options;
  std::vector<std::string> scan_dirs, scan_documents;
  CorrelateInputs history;  // its history fields and scan options
  std::string listen = "127.0.0.1:8080";
  bool listen_given = false;
  int refresh_seconds = 3600;
  bool protect_metrics = false;
  unsigned workers = 512;
  int request_timeout = 30;
};

// HOST:PORT, [V6]:PORT or :PORT (loopback).
serve::ServerOptions parse_listen(const std::string& listen) {
  serve::ServerOptions o;
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw Error("--listen: expected HOST:PORT, got " + listen);
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (!host.empty()) o.host = host;
  try {
    std::size_t used = 0;
    o.port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1 || o.port < 0 || o.port > 65535) throw 0;
  } catch (...) {
    throw Error("--listen: bad port in " + listen);
  }
  return o;
}

bool all_digits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

// One refresh: every marker source scanned again (repositories through the incremental
// cache), history loaded again.
serve::RefreshInput produce(const std::shared_ptr<const ServeArgs>& args,
                            const std::vector<RepoRequest>& requests) {
  const ServeArgs& a = *args;
  serve::RefreshInput in;
  in.as_of = resolve_as_of(a.history);
  in.judge = a.history.judge;
  // Ticket options alone judge the markers against an empty history (ticket state, expiry).
  if (has_history(a.history) || !a.history.tickets.trackers.empty()) {
    bool partial = false;
    in.history = has_history(a.history)
                     ? correlate::restrict_window(load_history(a.history, partial),
                                                  a.history.window_days, in.as_of)
                     : correlate::History{};
    in.annotate = [args, as_of = in.as_of](const RefScan& s, correlate::CorrelateResult& r) {
      MarkerOrigins origins;
      if (!s.commit.empty()) {
        try {
          origins = blame_markers(s.repo, s.commit, s.scan->markers,
                                  to_repo_scan_options(args->repo_options, 0));
        } catch (const Error& e) {
          warn(std::string("no marker age: ") + e.what());
        }
      }
      // A --scan-dir is recorded by `push --dir` with the branch its checkout has out.
      std::string branch = s.branch.empty() && s.commit.empty() && !args->history.db.empty()
                               ? working_tree_head(s.repo).branch
                               : s.branch;
      annotate_mutes(r, args->history.tickets, args->history.scan, origins, as_of,
                     read_marker_first_seen(args->history.db, {{s.repo, branch}}));
    };
  }
  const ScanConfig config = to_scan_config(a.history.scan);
  if (!requests.empty())
    in.scans = scan_repositories(requests, config, to_repo_scan_options(a.repo_options, 0));
  for (const auto& dir : a.scan_dirs) {
    RefScan s;
    s.repo = std::filesystem::absolute(dir).lexically_normal().string();
    s.ref = dir;
    if (std::filesystem::is_directory(dir))
      // Each refresh rescans the directory: with --cache-dir only what changed is parsed.
      s.scan = scan_directory(dir, config, 0, &progress(), directory_cache_dir(a.repo_options));
    else
      s.error = dir + ": not a directory";
    in.scans.push_back(std::move(s));
  }
  for (const auto& doc : a.scan_documents) {
    try {
      for (auto& s : read_scan_documents(doc)) in.scans.push_back(std::move(s));
    } catch (const Error& e) {
      RefScan failed;
      failed.repo = doc;
      failed.error = e.what();
      in.scans.push_back(std::move(failed));
    }
  }
  return in;
}

int run_serve(ServeArgs a) {
  std::vector<std::string>& refs = a.repo_options.refs;
  if (!a.listen_given && refs.size() >= 2 && all_digits(refs.back())) {
    a.listen = "0.0.0.0:" + refs.back();  // the original `serve REPO BRANCH PORT`
    refs.pop_back();
  }
  std::vector<RepoRequest> requests;
  if (repo_given(a.repo_options)) {
    requests = repo_requests("serve", a.repo_options);
  } else if (a.scan_dirs.empty() && a.scan_documents.empty()) {
    throw Error("serve: give REPO BRANCH..., --repos FILE, --scan-dir DIR or --scan FILE");
  }

  check_ticket_args(a.history.tickets);  // before any slow scan or fetch
  serve::ServerOptions options = parse_listen(a.listen);
  options.refresh = std::chrono::seconds(a.refresh_seconds);
  options.protect_metrics = a.protect_metrics;
  options.workers = a.workers;
  options.request_timeout = std::chrono::seconds(a.request_timeout);
  if (const char* t = std::getenv("FLAKEGRAB_SERVE_TOKEN"); t && *t) options.auth.token = t;
  if (const char* u = std::getenv("FLAKEGRAB_SERVE_USERS"); u && *u)
    options.auth.users = serve::read_users_file(u);
  if (!serve::is_loopback_host(options.host) && options.auth.open())
    warn("serve: listening on " + options.host +
         " with neither FLAKEGRAB_SERVE_TOKEN nor FLAKEGRAB_SERVE_USERS: anyone who can reach it "
         "reads the data");

  // Signals are taken by this thread only, with sigwait: the server threads inherit the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto args = std::make_shared<const ServeArgs>(std::move(a));
  serve::ReportServer server([args, requests] { return produce(args, requests); }, options);
  int port = server.start();
  std::string shown =
      options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  // A note like any other: under --quiet, name a port in --listen to know where it listens.
  note("serve: http://" + shown + ":" + std::to_string(port) + "/markers (refresh every " +
       std::to_string(args->refresh_seconds) + " s)");
  int sig = 0;
  sigwait(&signals, &sig);
  if (!server.stop()) {
    // A rescan is still running in the background: leave without unwinding under it.
    std::fflush(nullptr);
    _exit(kExitOk);
  }
  return kExitOk;
}

}  // namespace

void add_serve_command(CLI::App& app, Runner& run) {
  auto a = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand(
      "serve", "Serve the markers of branches (and verdicts, with history) to Redash over HTTP");
  add_repo_options(cmd, a->repo_options);
  cmd->add_option("--scan-dir", a->scan_dirs, "Working directories to scan for markers");
  cmd->add_option("--scan", a->scan_documents,
                  "Scan documents printed by `flakegrab scan` or `dump` (re-read every refresh)");
  add_history_options(cmd, a->history);
  add_first_seen_db_option(cmd, a->history.db);
  add_scan_options(cmd, a->history.scan);
  add_ticket_options(cmd, a->history.tickets);
  auto* listen = cmd->add_option("--listen", a->listen,
                                 "HOST:PORT to listen on (port 0: any free port; a default "
                                 "Redash only reaches ports 80, 443, 8000, 8080, 8443)");
  listen->capture_default_str();
  cmd->add_option("--refresh", a->refresh_seconds, "Seconds between rescans")
      ->check(CLI::Range(1, 7 * 24 * 3600))
      ->capture_default_str();
  cmd->add_flag("--protect-metrics", a->protect_metrics,
                "Ask for credentials on /healthz and /metrics too");
  cmd->add_option("--workers", a->workers, "Connections served at once")
      ->check(CLI::Range(4, 4096))
      ->capture_default_str();
  cmd->add_option("--request-timeout", a->request_timeout,
                  "Seconds a connection may take to send a request and read the response")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  cmd->footer(
      "Examples:\n"
      "  FLAKEGRAB_SERVE_TOKEN=... flakegrab serve https://github.com/dcos/dcos.git master "
      "--listen 0.0.0.0:8080\n"
      "  flakegrab serve --scan-dir . --db sqlite:history.db --listen 127.0.0.1:0");
  cmd->callback([&run, a, listen] {
    a->listen_given = listen->count() > 0;
    run = [a] { return run_serve(*a); };
  });
}

}  // namespace flakegrab::cli
