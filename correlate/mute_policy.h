#pragma once
// Filling a correlation's MuteContext: marker age from git (blame) or since=, expiry from the
// policy or the marker's own expires=/until=, and ticket state from the trackers.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "correlate/ticket.h"
#include "correlate/verdict.h"
#include "grabber/marker_origins.h"

namespace flakegrab::correlate {

// How many days a mute may live. Most specific first: a marker's expires=/until= date, then
// `days` by marker name ("xfailflake"), then by kind ("skip", "xfail"), then `default_days`.
// 0 means no limit.
struct ExpiryPolicy {
  int default_days = 0;
  std::map<std::string, int, std::less<>> days;
};

// The [expiry] section of a flakegrab config file: `default = N`, `KIND = N`, `NAME = N`.
// Throws Error naming the file and key when a value is not a non-negative integer.
ExpiryPolicy load_expiry_policy(const std::filesystem::path& config_file, ExpiryPolicy base = {});

// Warnings for [expiry] keys that are neither a marker kind nor a marker name `config` knows:
// a typo would otherwise switch a policy off without a word.
std::vector<std::string> unknown_expiry_keys(const ExpiryPolicy& policy, const ScanConfig& config,
                                             const std::string& source);

// When the history database first saw each marker (flakegrab_first_seen), keyed by
// first_seen_key(test_id, name, kind): the date a mute without since= and without a git age
// counts from. Several branches' markers: the oldest.
using MarkerFirstSeen = std::map<std::string, std::string>;
std::string first_seen_key(std::string_view test_id, std::string_view name, MarkerKind kind);

// Sets added_at/added_in (from `origins`), days_muted where since= is absent (from git, else from
// `first_seen`), expires_at and expired on muted rows. Returns warnings (an expires= that is not
// a date), one line each.
std::vector<std::string> apply_age(CorrelateResult& result, const MarkerOrigins& origins,
                                   const ExpiryPolicy& policy, const std::string& as_of,
                                   const MarkerFirstSeen& first_seen = {});

// Routes each muted row's ticket, looks it up (when trackers are given) and sets the ticket
// fields; a closed ticket sets ticket_closed and says so in the reason. Returns the lookup's
// warnings. Never throws for a tracker's failure.
std::vector<std::string> apply_tickets(CorrelateResult& result, const TicketLookupOptions& options,
                                       const std::string& github_repo);

// The reasons `audit` flags a muted row for: ticket_closed, expired, no_ticket,
// ticket_not_found. A ticket whose tracker failed is not flagged (a warning names it).
void set_audit_reasons(CorrelateResult& result);

}  // namespace flakegrab::correlate
