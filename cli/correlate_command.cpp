// Placeholder until its issue lands; replaced by the real subcommand.
#include "cli/commands.h"
#include "grabber/error.h"

namespace flakegrab::cli {

void add_correlate_command(CLI::App& app, Runner& run) {
  auto* cmd = app.add_subcommand("correlate", "(not built yet)");
  cmd->callback([&run] { run = [] () -> int { throw Error("correlate: not built yet"); }; });
}

}  // namespace flakegrab::cli
