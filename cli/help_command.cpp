// `flakegrab help [CMD]`, `help --man`, `completion SHELL` and `version`.
#include <cstdio>
#include <memory>
#include <string>

#include "base/error.h"
#include "cli/command_tree.h"
#include "cli/commands.h"
#include "cli/parse_errors.h"

namespace flakegrab::cli {

void add_help_command(CLI::App& app, Runner& run) {
  auto topic = std::make_shared<std::string>();
  auto man = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("help", "Print the help of flakegrab or of one command");
  cmd->add_option("CMD", *topic, "The command to explain")->type_name("");
  cmd->add_flag("--man", *man, "Print the manual page flakegrab(1) in roff (man -l -)");
  cmd->callback([&app, &run, topic, man] {
    run = [&app, topic, man] {
      if (*man) {
        std::fputs(man_page(app, command_tree(app)).c_str(), stdout);
        return kExitOk;
      }
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

void add_completion_command(CLI::App& app, Runner& run) {
  auto shell = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("completion", "Print a shell completion script");
  cmd->add_option("SHELL", *shell, "bash or zsh")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh"}))
      ->type_name("");
  cmd->footer(
      "Examples:\n"
      "  flakegrab completion bash > /etc/bash_completion.d/flakegrab\n"
      "  flakegrab completion zsh > \"${fpath[1]}/_flakegrab\"");
  cmd->callback([&app, &run, shell] {
    run = [&app, shell] {
      auto tree = command_tree(app);
      std::fputs((*shell == "bash" ? bash_completion(tree) : zsh_completion(tree)).c_str(), stdout);
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
