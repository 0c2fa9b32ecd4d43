#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "grabber/error.h"

int main(int argc, char** argv) {
  using namespace flakegrab::cli;
  CLI::App app{"flakegrab: find muted Python tests and say which to unmute, keep, mute or fix"};
  app.set_version_flag("--version", FLAKEGRAB_VERSION);
  app.require_subcommand(1);
  Runner run;
  add_scan_command(app, run);
  add_dump_command(app, run);
  add_bundle_command(app, run);
  add_correlate_command(app, run);
  add_push_command(app, run);
  add_serve_command(app, run);
  add_audit_command(app, run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitError;
  }
  try {
    return run ? run() : kExitError;
  } catch (const flakegrab::Error& e) {
    std::fprintf(stderr, "flakegrab: %s\n", e.what());
    return kExitError;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "flakegrab: internal error: %s\n", e.what());
    return kExitError;
  }
}
