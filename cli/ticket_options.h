#pragma once
// Options for ticket state and mute age (`correlate`, `serve`, `audit`), and applying them to a
// correlation. Tokens come from the environment (JIRA_USER/JIRA_TOKEN, JIRA_BEARER,
// GITHUB_TOKEN, GITLAB_TOKEN), never from an option.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/scan_options.h"
#include "correlate/mute_policy.h"

namespace flakegrab::cli {

struct TicketArgs {
  std::vector<std::string> trackers;  // --tickets jira:URL | github[:API_URL] | gitlab:URL
  std::string github_repo;            // owner/repo for bare #123
  std::string ttl = "6h";
  int max_mute_days = 0;
  bool allow_insecure_auth = false;
};

void add_ticket_options(CLI::App* cmd, TicketArgs& args);

// Throws Error naming a bad --tickets or --ticket-ttl.
void check_ticket_args(const TicketArgs& args);

// Age (from `origins` and since=), expiry (the --config file's [expiry], --max-mute-days), ticket
// state and audit reasons onto `result`. Warnings go to stderr; a tracker's failure never
// fails the command. Throws Error for bad option values.
// `first_seen` (from the history database) dates mutes that have neither since= nor a git age.
void annotate_mutes(correlate::CorrelateResult& result, const TicketArgs& args,
                    const ScanOptionsArgs& scan, const MarkerOrigins& origins,
                    const std::string& as_of, const correlate::MarkerFirstSeen& first_seen = {});

}  // namespace flakegrab::cli
