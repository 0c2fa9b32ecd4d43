// `flakegrab serve`: the correlation as a Redash JSON data source, refreshed in the background.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/correlate_inputs.h"
#include "grabber/error.h"
#include "serve/report_server.h"

namespace flakegrab::cli {
namespace {

struct ServeArgs {
  CorrelateInputs in;
  std::string listen = "127.0.0.1:8080";
  int refresh_seconds = 3600;
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

int run_serve(const ServeArgs& a) {
  serve::ServerOptions options = parse_listen(a.listen);
  options.refresh = std::chrono::seconds(a.refresh_seconds);
  if (const char* t = std::getenv("FLAKEGRAB_SERVE_TOKEN"); t && *t) options.token = t;
  bool loopback =
      options.host == "127.0.0.1" || options.host == "::1" || options.host == "localhost";
  if (!loopback && options.token.empty())
    std::fprintf(stderr,
                 "flakegrab: serve: warning: listening on %s with no FLAKEGRAB_SERVE_TOKEN: "
                 "anyone who can reach it reads the report\n",
                 options.host.c_str());

  // Signals are taken by this thread only, with sigwait: the server threads inherit the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const CorrelateInputs inputs = a.in;
  serve::ReportServer server(
      [inputs] {
        bool partial = false;
        return correlate_inputs(inputs, partial);
      },
      options);
  int port = server.start();
  std::string shown =
      options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  std::fprintf(stderr, "flakegrab: serve: http://%s:%d/verdicts (refresh every %d s)\n",
               shown.c_str(), port, a.refresh_seconds);
  int sig = 0;
  sigwait(&signals, &sig);
  server.stop();
  return kExitOk;
}

}  // namespace

void add_serve_command(CLI::App& app, Runner& run) {
  auto a = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand(
      "serve", "Serve the correlation as a Redash JSON data source (/verdicts, /summary)");
  add_correlate_inputs(cmd, a->in);
  cmd->add_option("--listen", a->listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  cmd->add_option("--refresh", a->refresh_seconds, "Seconds between recomputations")
      ->check(CLI::Range(1, 7 * 24 * 3600))
      ->capture_default_str();
  cmd->callback([&run, a] { run = [a] { return run_serve(*a); }; });
}

}  // namespace flakegrab::cli
