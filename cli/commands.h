#pragma once
// Each subcommand registers itself on the app and, when chosen, leaves its runner in `run`.
// Runners return the process exit code (see exit_codes below).
#include <cstddef>
#include <functional>

#include <CLI/CLI.hpp>

namespace flakegrab::cli {

using Runner = std::function<int()>;

// Exit codes: 0 complete result, 1 partial result (some file, report or branch failed and is
// named on stderr), 2 nothing useful could be done (bad arguments, unreadable input).
inline constexpr int kExitOk = 0;
inline constexpr int kExitPartial = 1;
inline constexpr int kExitError = 2;

// kExitOk when nothing failed, kExitError when everything did, kExitPartial in between.
inline int exit_code_for(std::size_t failed, std::size_t attempted) {
  if (failed == 0) return kExitOk;
  return failed == attempted ? kExitError : kExitPartial;
}

// The one --pretty of every JSON-printing command: compact JSON unless it is given.
inline CLI::Option* add_pretty_flag(CLI::App* cmd, bool& pretty) {
  return cmd->add_flag("--pretty", pretty, "Indent the JSON (default: compact, one line)");
}

void add_scan_command(CLI::App& app, Runner& run);
void add_dump_command(CLI::App& app, Runner& run);
void add_bundle_command(CLI::App& app, Runner& run);
void add_correlate_command(CLI::App& app, Runner& run);
void add_push_command(CLI::App& app, Runner& run);
void add_history_command(CLI::App& app, Runner& run);
void add_prune_command(CLI::App& app, Runner& run);
void add_redshift_command(CLI::App& app, Runner& run);
void add_serve_command(CLI::App& app, Runner& run);
void add_audit_command(CLI::App& app, Runner& run);
void add_help_command(CLI::App& app, Runner& run);
void add_completion_command(CLI::App& app, Runner& run);
void add_version_command(CLI::App& app, Runner& run);

}  // namespace flakegrab::cli
