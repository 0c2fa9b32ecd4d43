// Placeholder until its issue lands; replaced by the real subcommand.
#include "cli/commands.h"
#include "grabber/error.h"

namespace flakegrab::cli {

void add_dump_command(CLI::App& app, Runner& run) {
  auto* cmd = app.add_subcommand("dump", "(not built yet)");
  cmd->callback([&run] { run = [] () -> int { throw Error("dump: not built yet"); }; });
}

}  // namespace flakegrab::cli
