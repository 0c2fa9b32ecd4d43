#include <cstdio>
#include <exception>

#include "base/error.h"
#include "cli/commands.h"
#include "cli/messages.h"
#include "cli/output_level.h"
#include "cli/parse_errors.h"
#include "cli/progress_renderer.h"
#include "store/store.h"

namespace {

using namespace flakegrab::cli;

// Every subcommand, one line each; help, suggestions and errors find them through the app.
// clang-format off
constexpr void (*kSubcommands[])(CLI::App&, Runner&) = {
    add_scan_command,
    add_dump_command,
    add_bundle_command,
    add_correlate_command,
    add_push_command,
    add_history_command,
    add_prune_command,
    add_redshift_command,
    add_serve_command,
    add_audit_command,
    add_help_command,
    add_completion_command,
    add_version_command,
};
// clang-format on

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"flakegrab: find muted Python tests and say which to unmute, keep, mute or fix"};
  app.name("flakegrab");
  app.set_version_flag("-V,--version", std::string("flakegrab ") + FLAKEGRAB_VERSION);
  app.require_subcommand(1);
  Runner run;
  // Server notices are informational: --quiet silences them as it does the CLI's own notes.
  flakegrab::set_server_notice_handler([](std::string_view line) { note(line); });
  for (auto add : kSubcommands) add(app, run);
  for (CLI::App* cmd : app.get_subcommands([](const CLI::App*) { return true; }))
    add_output_level_flags(cmd);
  if (argc < 2) {
    std::fputs(app.help().c_str(), stderr);
    return kExitError;
  }
  try {
    check_subcommand_word(app, argv[1]);
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return report_parse_error(app, e);
  } catch (const flakegrab::Error& e) {
    std::fprintf(stderr, "flakegrab: %s\n", e.what());
    return kExitError;
  }
  try {
    int rc = run ? run() : kExitError;
    progress().clear();
    return rc;
  } catch (const flakegrab::Error& e) {
    progress().clear();
    std::fprintf(stderr, "flakegrab: %s\n", e.what());
    return kExitError;
  } catch (const std::exception& e) {
    progress().clear();
    std::fprintf(stderr, "flakegrab: internal error: %s\n", e.what());
    return kExitError;
  }
}
