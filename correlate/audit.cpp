#include "correlate/audit.h"

#include <algorithm>

#include "correlate/report.h"

namespace flakegrab::correlate {

AuditSummary audit_rows(CorrelateResult& result) {
  AuditSummary s;
  for (const auto& row : result.rows) {
    if (!row.muted) continue;
    ++s.muted;
    const auto& why = row.mute.audit_reasons;
    auto has = [&](const char* r) { return std::find(why.begin(), why.end(), r) != why.end(); };
    s.needs_human += !why.empty();
    s.ticket_closed += has("ticket_closed");
    s.expired += has("expired");
    s.no_ticket += has("no_ticket");
    s.ticket_not_found += has("ticket_not_found");
  }
  std::erase_if(result.rows, [](const VerdictRow& r) { return r.mute.audit_reasons.empty(); });
  return s;
}

nlohmann::json audit_summary_to_json(const AuditSummary& s) {
  return {{"muted", s.muted},
          {"needs_human", s.needs_human},
          {"ticket_closed", s.ticket_closed},
          {"expired", s.expired},
          {"no_ticket", s.no_ticket},
          {"ticket_not_found", s.ticket_not_found}};
}

namespace {

std::string md_cell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

std::string render_markdown_audit(const CorrelateResult& r, const AuditSummary& s) {
  std::string out = "# Muted tests that need a human\n\n" + std::to_string(s.needs_human) + " of " +
                    std::to_string(s.muted) + " muted tests: " + std::to_string(s.ticket_closed) +
                    " ticket closed, " + std::to_string(s.expired) + " expired, " +
                    std::to_string(s.no_ticket) + " no ticket, " +
                    std::to_string(s.ticket_not_found) + " ticket not found.\n\n";
  if (r.rows.empty()) return out;
  out +=
      "| Test | Why | Ticket | Muted since | Expires | Where |\n| --- | --- | --- | --- | --- | "
      "--- |\n";
  for (const auto& row : r.rows) {
    std::string why, where, since;
    for (const auto& w : row.mute.audit_reasons) why += (why.empty() ? "" : ", ") + w;
    for (const auto& m : row.markers) {
      where += (where.empty() ? "" : ", ") + m.file + ":" + std::to_string(m.line);
      if (since.empty() && m.since) since = *m.since;
    }
    if (since.empty()) since = row.mute.age.added_at.substr(0, 10);
    std::string ticket = row.mute.ticket.key;
    if (!row.mute.ticket.status.empty()) ticket += " (" + row.mute.ticket.status + ")";
    out += "| " + md_cell(row.test_id) + " | " + why + " | " + md_cell(ticket) + " | " +
           md_cell(since) + " | " + row.mute.age.expires_at.substr(0, 10) + " | " + md_cell(where) +
           " |\n";
  }
  return out;
}

}  // namespace

std::string render_audit(const CorrelateResult& r, const AuditSummary& s,
                         const std::string& format) {
  if (format == "ndjson") return render_ndjson(r);
  if (format == "csv") return render_csv(r);
  if (format == "markdown") return render_markdown_audit(r, s);
  nlohmann::ordered_json tests = nlohmann::ordered_json::array();
  for (const auto& row : r.rows) tests.push_back(row_to_json(row));
  nlohmann::ordered_json doc;
  doc["summary"] = nlohmann::ordered_json(audit_summary_to_json(s));
  doc["tests"] = std::move(tests);
  return doc.dump(2) + "\n";
}

}  // namespace flakegrab::correlate
