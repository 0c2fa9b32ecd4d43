#pragma once
// Ticket state from issue trackers: which tracker a marker's ticket belongs to (by its form),
// and its state there (Jira, GitHub, GitLab), looked up concurrently, cached on disk with a TTL.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grabber/grabber.h"

namespace flakegrab::correlate {

enum class TrackerKind { jira, github, gitlab };
std::string_view to_string(TrackerKind);

struct Tracker {
  TrackerKind kind = TrackerKind::jira;
  std::string api;          // "https://jira.example.com", "https://api.github.com"; no trailing '/'
  std::string web_host;     // host[:port] of the ticket URLs this tracker answers for
  bool github_com = false;  // a GitHub tracker that also answers github.com URLs
};

// "jira:URL", "github", "github:API_URL", "gitlab:URL". Throws Error naming the spec.
Tracker parse_tracker(std::string_view spec);
// A `github:API_URL` answers github.com URLs too, unless a plain `github` is also given.
std::vector<Tracker> parse_trackers(const std::vector<std::string>& specs);

struct TicketRef {
  TrackerKind kind = TrackerKind::jira;  // by form; URLs are settled by their host when routed
  std::string key;                       // "DCOS-123", "owner/repo#12", "group/project#5"
  std::string project;                   // GitHub owner/repo or GitLab project path; "" for Jira
  std::string number;                    // issue number (GitLab iid); "" for Jira
  std::string host;         // host[:port] of the URL it was written as; "" for a bare key
  std::string written_url;  // the URL as written, "" for a bare key
};

// One ticket written as text: a Jira key (ABC-123), an issue URL (Jira /browse/KEY, GitHub
// /owner/repo/issues/N, GitLab /group/project/-/issues/N), "owner/repo#N", or "#N" when
// `github_repo` names the repository. Quotes around source text are ignored.
std::optional<TicketRef> parse_ticket(std::string_view text, const std::string& github_repo);
// A marker's ticket: its ticket keyword (jira=, ticket=, issue=, bug=) or else the first issue
// URL in its reason. A bare Jira-like word in a reason ("UTF-8") is not taken for a ticket.
std::optional<TicketRef> ticket_of(const Marker& marker, const std::string& github_repo);

// Index of the tracker that answers for `ref`, or nullopt.
std::optional<std::size_t> route_ticket(const TicketRef& ref, const std::vector<Tracker>& trackers);

struct TicketState {
  std::string status = "unknown";  // open | closed | unknown
  std::string resolution;          // Jira resolution name, GitHub state_reason; "" when none
  std::string closed_at;           // UTC ISO 8601, "" when open or unknown
  std::string url;                 // the ticket's web page, "" when unknown
  bool not_found = false;          // the tracker answered 404: no such ticket
};

// Tokens come from the environment only, never from argv.
struct TrackerCredentials {
  std::string jira_user, jira_token, jira_bearer, github_token, gitlab_token;
  static TrackerCredentials from_env();
};

struct TicketLookupOptions {
  std::vector<Tracker> trackers;
  TrackerCredentials credentials;
  bool allow_insecure_auth = false;  // send tokens over plain http
  std::filesystem::path cache_file;  // empty: no cache
  std::int64_t ttl_seconds = 6 * 3600;
  unsigned concurrency = 4;   // lookups in flight at once
  int max_wait_seconds = 60;  // longest rate-limit pause honoured before giving up
  int timeout_seconds = 15;   // connect and read timeout per request
};

struct TicketLookup {
  std::vector<TicketState> states;    // one per asked ref, same order
  std::vector<std::string> warnings;  // one line each, never a token
  std::size_t fetched = 0, cached = 0;
};

// Looks every ref up in the tracker it routes to. Never throws for a tracker's failure: the
// state stays "unknown" and a warning says why. A ref no tracker answers for is "unknown" too.
TicketLookup lookup_tickets(const std::vector<TicketRef>& refs, const TicketLookupOptions& options);

// "6h", "30m", "2d", "90s" or plain seconds. Throws Error naming --ticket-ttl.
std::int64_t parse_duration_seconds(std::string_view text);

}  // namespace flakegrab::correlate
