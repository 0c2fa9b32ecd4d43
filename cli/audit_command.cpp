// `flakegrab audit REPO BRANCH...`: the muted tests that need a human; exit 1 when any (a CI
// check). History inputs are optional.
#include <memory>

#include "base/error.h"
#include "cli/commands.h"
#include "cli/correlate_inputs.h"
#include "cli/messages.h"
#include "cli/output_file.h"
#include "correlate/audit.h"

namespace flakegrab::cli {
namespace {

struct AuditArgs {
  CorrelateInputs in;
  std::string format = "json";
  std::string output = "-";
};

// The summary as one line for a human reading stderr (as correlate's); json output carries it.
std::string summary_line(const correlate::AuditSummary& s) {
  std::string line =
      std::to_string(s.muted) + " muted, " + std::to_string(s.needs_human) + " need(s) a human";
  std::string reasons;
  for (auto [n, what] : {std::pair{s.ticket_closed, "ticket closed"},
                         {s.expired, "expired"},
                         {s.no_ticket, "no ticket"},
                         {s.ticket_not_found, "ticket not found"}})
    if (n) reasons += (reasons.empty() ? "" : ", ") + std::to_string(n) + " " + what;
  return reasons.empty() ? line : line + ": " + reasons;
}

int run_audit(const AuditArgs& a) {
  bool partial = false;
  correlate::CorrelateResult result = correlate_inputs(a.in, partial);
  correlate::AuditSummary summary = correlate::audit_rows(result);
  std::string text = correlate::render_audit(result, summary, a.format);
  write_output(a.output, text);
  if (a.format == "ndjson" || a.format == "csv") note("audit: " + summary_line(summary));
  return partial || summary.needs_human > 0 ? kExitPartial : kExitOk;
}

}  // namespace

void add_audit_command(CLI::App& app, Runner& run) {
  auto a = std::make_shared<AuditArgs>();
  a->in.history_optional = true;
  auto* cmd = app.add_subcommand(
      "audit", "Muted tests that need a human: ticket closed, expired, no ticket (exit 1 if any)");
  add_correlate_inputs(cmd, a->in);
  cmd->add_option("--format", a->format, "json, ndjson, csv or markdown")
      ->check(CLI::IsMember({"json", "ndjson", "csv", "markdown"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", a->output, "Where to write ('-' = stdout)");
  cmd->footer(
      "Examples:\n"
      "  flakegrab audit https://github.com/dcos/dcos.git master --tickets "
      "jira:https://jira.example "
      "--max-mute-days 90\n"
      "  flakegrab audit --scan-dir . --format markdown");
  cmd->callback([&run, a] { run = [a] { return run_audit(*a); }; });
}

}  // namespace flakegrab::cli
