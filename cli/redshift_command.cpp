// `flakegrab redshift REPO BRANCH...`: the original xfailflake-grabber's action, a push to
// Redshift configured the way it was, from POSTGRES_HOST, POSTGRES_PORT (default 5439),
// POSTGRES_DB, POSTGRES_USER and POSTGRES_PASSWORD. The password only ever travels in the
// environment (libpq's PGPASSWORD): never in argv, a URL, a log line or an error.
#include <cstdlib>
#include <memory>
#include <string>

#include "base/error.h"
#include "base/url_text.h"
#include "cli/commands.h"
#include "cli/push_run.h"

namespace flakegrab::cli {
namespace {

std::string required_env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) throw Error(std::string("redshift: ") + name + " is not set");
  return v;
}

// redshift://USER@HOST:PORT/DB, with sslmode from PGSSLMODE when set (else Redshift's require).
std::string target_from_env() {
  std::string host = required_env("POSTGRES_HOST");
  if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
  const char* port = std::getenv("POSTGRES_PORT");
  std::string p = port && *port ? port : "5439";
  if (p.find_first_not_of("0123456789") != std::string::npos)
    throw Error("redshift: POSTGRES_PORT: expected a port number, got '" + p + "'");
  std::string url = "redshift://" + percent_encode(required_env("POSTGRES_USER")) + "@" + host +
                    ":" + p + "/" + percent_encode(required_env("POSTGRES_DB"));
  if (const char* ssl = std::getenv("PGSSLMODE"); ssl && *ssl)
    url += "?sslmode=" + percent_encode(ssl);
  return url;
}

int run_redshift(PushArgs a) {
  a.db = target_from_env();
  // libpq takes it from the environment; it is never part of the target.
  if (const char* pw = std::getenv("POSTGRES_PASSWORD"); pw && *pw) setenv("PGPASSWORD", pw, 1);
  return run_push(a, "redshift");
}

}  // namespace

void add_redshift_command(CLI::App& app, Runner& run) {
  auto a = std::make_shared<PushArgs>();
  auto* cmd = app.add_subcommand(
      "redshift",
      "The original action: scan and push to Redshift configured by POSTGRES_HOST, POSTGRES_PORT "
      "(5439), POSTGRES_DB, POSTGRES_USER and POSTGRES_PASSWORD (PGSSLMODE: default require)");
  add_push_options(cmd, *a);
  cmd->footer(
      "Example:\n"
      "  POSTGRES_HOST=cluster.example.redshift.amazonaws.com POSTGRES_DB=flakes \\\n"
      "  POSTGRES_USER=flakegrab POSTGRES_PASSWORD=... \\\n"
      "    flakegrab redshift https://github.com/dcos/dcos.git master");
  cmd->callback([&run, a] { run = [a] { return run_redshift(*a); }; });
}

}  // namespace flakegrab::cli
