#pragma once
// `audit`: the muted tests that need a human (ticket closed, mute expired, no ticket, ticket
// unknown to its tracker), rendered in correlate's formats.
#include <string>

#include <nlohmann/json.hpp>

#include "correlate/verdict.h"

namespace flakegrab::correlate {

struct AuditSummary {
  int muted = 0;        // muted rows looked at
  int needs_human = 0;  // rows with at least one audit reason
  int ticket_closed = 0, expired = 0, no_ticket = 0, ticket_not_found = 0;
};

// Keeps only the rows with audit reasons (set_audit_reasons must have run) and counts them.
AuditSummary audit_rows(CorrelateResult& result);

nlohmann::json audit_summary_to_json(const AuditSummary& summary);

// json: {"summary": {...}, "tests": [row...]}; ndjson, csv: correlate's rows; markdown: one
// table line per test with its reasons.
std::string render_audit(const CorrelateResult& rows, const AuditSummary& summary,
                         const std::string& format);

}  // namespace flakegrab::correlate
