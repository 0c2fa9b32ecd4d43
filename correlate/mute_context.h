#pragma once
// What a row knows about its mute beyond the evidence: the ticket's state in its tracker, when
// the marker was added (git blame) and whether it outlived its policy; and for `audit`, why a
// human should look at it.
#include <string>
#include <vector>

namespace flakegrab::correlate {

struct TicketFields {
  std::string key;         // as routed: "DCOS-123", "owner/repo#12"; "" when no ticket
  std::string status;      // open | closed | unknown | "" (no ticket, or no tracker asked)
  std::string resolution;  // "" when none
  std::string closed_at;   // UTC ISO 8601, "" when not closed
  std::string url;         // the ticket's page (the tracker's, else the URL as written)
  bool closed = false;     // muted and the ticket is closed
  bool not_found = false;  // the tracker has no such ticket
};

struct AgeFields {
  std::string added_at;    // from git blame of the marker line when it has no since=; "" unknown
  std::string added_in;    // the commit sha that added it
  std::string expires_at;  // when the mute's policy ends, "" when no policy applies
  bool expired = false;    // expires_at is at or before the reference date
};

struct MuteContext {
  TicketFields ticket;
  AgeFields age;
  std::vector<std::string> audit_reasons;  // ticket_closed, expired, no_ticket, ticket_not_found
};

// The row fields, one type each in every row (strings "" when absent). `flat`: audit_reasons
// joined with ';' (table readers), else an array.
template <typename Json>
void add_mute_fields(Json& row, const MuteContext& m, bool flat) {
  row["ticket_status"] = m.ticket.status;
  row["ticket_resolution"] = m.ticket.resolution;
  row["ticket_closed_at"] = m.ticket.closed_at;
  row["ticket_url"] = m.ticket.url;
  row["ticket_closed"] = m.ticket.closed;
  row["added_at"] = m.age.added_at;
  row["added_in"] = m.age.added_in;
  row["expires_at"] = m.age.expires_at;
  row["expired"] = m.age.expired;
  if (flat) {
    std::string joined;
    for (const auto& r : m.audit_reasons) joined += (joined.empty() ? "" : ";") + r;
    row["audit_reasons"] = joined;
  } else {
    row["audit_reasons"] = m.audit_reasons;
  }
}

}  // namespace flakegrab::correlate
