// `flakegrab help [CMD]` and `flakegrab version`.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/parse_errors.h"
#include "grabber/error.h"

namespace flakegrab::cli {

void add_help_command(CLI::App& app, Runner& run) {
  auto topic = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("help", "Print the help of flakegrab or of one command");
  cmd->add_option("CMD", *topic, "The command to explain")->type_name("");
  cmd->callback([&app, &run, topic] {
    run = [&app, topic] {
      if (topic->empty()) {
        // app.help() would delegate to the selected subcommand, `help` itself.
        std::fputs(app.get_formatter()
                       ->make_help(&app, app.get_name(), CLI::AppFormatMode::Normal)
                       .c_str(),
                   stdout);
        return kExitOk;
      }
      check_subcommand_word(app, *topic);
      std::fputs(app.get_subcommand(*topic)->help().c_str(), stdout);
      return kExitOk;
    };
  });
}

void add_version_command(CLI::App& app, Runner& run) {
  auto* cmd = app.add_subcommand("version", "Print the version");
  cmd->callback([&run] {
    run = [] {
      std::printf("flakegrab %s\n", FLAKEGRAB_VERSION);
      return kExitOk;
    };
  });
}

}  // namespace flakegrab::cli
