#include "cli/ticket_options.h"

#include <cstdio>

#include "base/cache_dir.h"
#include "cli/messages.h"

namespace flakegrab::cli {

void add_ticket_options(CLI::App* cmd, TicketArgs& a) {
  cmd->add_option("--tickets", a.trackers,
                  "Look tickets up: jira:URL, github[:API_URL] or gitlab:URL (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--github-repo", a.github_repo, "OWNER/REPO that bare #123 tickets refer to");
  cmd->add_option("--ticket-ttl", a.ttl, "How long a looked-up ticket state is reused (6h, 30m, 0)")
      ->capture_default_str();
  cmd->add_option("--max-mute-days", a.max_mute_days,
                  "Flag mutes older than N days as expired (0: no limit; [expiry] per kind)")
      ->check(CLI::Range(0, 100000));
  add_insecure_auth_flag(cmd, a.allow_insecure_auth);
}

void check_ticket_args(const TicketArgs& a) {
  correlate::parse_trackers(a.trackers);
  correlate::parse_duration_seconds(a.ttl);
  if (!a.github_repo.empty() && !correlate::parse_ticket("#1", a.github_repo))
    throw Error("--github-repo " + a.github_repo + ": expected OWNER/REPO");
}

void annotate_mutes(correlate::CorrelateResult& result, const TicketArgs& a,
                    const ScanOptionsArgs& scan, const MarkerOrigins& origins,
                    const std::string& as_of, const correlate::MarkerFirstSeen& first_seen) {
  using namespace flakegrab::correlate;
  ExpiryPolicy policy;
  std::vector<std::string> warnings;
  if (!scan.config_file.empty()) {
    policy = load_expiry_policy(scan.config_file, policy);
    warnings = unknown_expiry_keys(policy, to_scan_config(scan), scan.config_file);
  }
  if (a.max_mute_days > 0) policy.default_days = a.max_mute_days;  // the option wins
  auto aged = apply_age(result, origins, policy, as_of, first_seen);
  warnings.insert(warnings.end(), aged.begin(), aged.end());

  TicketLookupOptions o;
  o.trackers = parse_trackers(a.trackers);
  o.ttl_seconds = parse_duration_seconds(a.ttl);
  o.allow_insecure_auth = a.allow_insecure_auth;
  o.credentials = TrackerCredentials::from_env();
  if (!o.trackers.empty()) {
    try {
      o.cache_file = default_cache_dir() / "tickets" / "state.json";
    } catch (const Error& e) {
      warnings.push_back(std::string("tickets: no cache: ") + e.what());
    }
  }
  auto more = apply_tickets(result, o, a.github_repo);
  warnings.insert(warnings.end(), more.begin(), more.end());
  set_audit_reasons(result);
  for (const auto& w : warnings) warn(w);
}

}  // namespace flakegrab::cli
