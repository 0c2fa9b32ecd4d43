#pragma once
// The one --db of every command that talks to the history database (push, history, prune):
// FLAKEGRAB_DB gives its default, else sqlite:flakegrab.db.
#include <string>

#include <CLI/CLI.hpp>

namespace flakegrab::cli {

CLI::Option* add_db_option(CLI::App* cmd, std::string& db);

}  // namespace flakegrab::cli
