#pragma once
// The command line as data, read off the CLI11 app: what shell completion and the man page are
// generated from, so neither can drift from `--help`.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace flakegrab::cli {

struct OptionInfo {
  std::vector<std::string> names;  // "--format", "-V": long names first
  std::string value;               // "FILE", "" for a flag
  std::string description;
};

struct CommandInfo {
  std::string name, description, footer;
  std::vector<OptionInfo> options;      // named options, in declaration order
  std::vector<OptionInfo> positionals;  // names[0] is the positional's name
};

// Every visible subcommand of `app`, in registration order.
std::vector<CommandInfo> command_tree(const CLI::App& app);

// The bash and zsh completion scripts (`flakegrab completion bash|zsh`) and the man page.
std::string bash_completion(const std::vector<CommandInfo>& commands);
std::string zsh_completion(const std::vector<CommandInfo>& commands);
std::string man_page(const CLI::App& app, const std::vector<CommandInfo>& commands);

}  // namespace flakegrab::cli
