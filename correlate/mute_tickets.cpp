// Ticket state on rows, and what `audit` flags.
#include "correlate/mute_policy.h"

namespace flakegrab::correlate {
namespace {

// A closed ticket changes what the row asks for: with passing evidence it is the strongest
// unmute case; with failing evidence the mute outlived its ticket and the ticket is wrong.
void explain_closed(VerdictRow& row) {
  const TicketFields& t = row.mute.ticket;
  std::string closed = "ticket " + t.key + " is closed";
  if (!t.resolution.empty()) closed += " (" + t.resolution + ")";
  const Evidence& e = row.evidence;
  if (e.failures > 0 || e.flaky_runs > 0)
    row.reason = "ticket " + t.key + " closed but still failing: reopen it; " + row.reason;
  else if (row.verdict == Verdict::unmute)
    row.reason = closed + " and " + row.reason + ": unmute";
  else
    row.reason += "; " + closed;
}

}  // namespace

std::vector<std::string> apply_tickets(CorrelateResult& result, const TicketLookupOptions& options,
                                       const std::string& github_repo) {
  std::vector<TicketRef> refs;
  std::vector<VerdictRow*> owners;
  for (auto& row : result.rows) {
    if (!row.muted) continue;
    for (const auto& m : row.markers) {
      if (auto ref = ticket_of(m, github_repo)) {
        row.mute.ticket.key = ref->key;
        row.mute.ticket.url = ref->written_url;
        refs.push_back(*ref);
        owners.push_back(&row);
        break;
      }
    }
  }
  if (options.trackers.empty() || refs.empty()) return {};
  TicketLookup lookup = lookup_tickets(refs, options);
  for (std::size_t i = 0; i < refs.size(); ++i) {
    VerdictRow& row = *owners[i];
    const TicketState& s = lookup.states[i];
    TicketFields& t = row.mute.ticket;
    t.status = s.status;
    t.resolution = s.resolution;
    t.closed_at = s.closed_at;
    t.not_found = s.not_found;
    if (!s.url.empty()) t.url = s.url;
    t.closed = s.status == "closed";
    if (s.not_found) row.reason += "; ticket " + t.key + " does not exist in its tracker";
    if (t.closed) explain_closed(row);
  }
  return lookup.warnings;
}

void set_audit_reasons(CorrelateResult& result) {
  for (auto& row : result.rows) {
    auto& why = row.mute.audit_reasons;
    why.clear();
    if (!row.muted) continue;
    if (row.mute.ticket.closed) why.push_back("ticket_closed");
    if (row.mute.age.expired) why.push_back("expired");
    if (row.mute.ticket.key.empty()) why.push_back("no_ticket");
    if (row.mute.ticket.not_found) why.push_back("ticket_not_found");
  }
}

}  // namespace flakegrab::correlate
