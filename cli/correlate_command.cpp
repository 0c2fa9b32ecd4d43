// `flakegrab correlate`: markers (a scan) joined with test history (bundle or JUnit XML) into
// a verdict per test.
#include <cstdio>
#include <memory>

#include "base/error.h"
#include "cli/commands.h"
#include "cli/correlate_inputs.h"
#include "cli/messages.h"
#include "cli/output_file.h"

namespace flakegrab::cli {
namespace {

struct CorrelateArgs {
  CorrelateInputs in;
  std::string format = "json";
  bool ascii = false;
  int columns = 14;
  bool hide_ok = false;
  std::string output = "-";
  bool pretty = false;
};

// The summary as one line for a human reading stderr; json output carries it in full.
std::string summary_line(const correlate::CorrelateSummary& s) {
  std::string line = std::to_string(s.markers) + " marker(s), " + std::to_string(s.runs) +
                     " run(s), " + std::to_string(s.history_tests) + " test(s) in history";
  std::string verdicts;
  for (const auto& [verdict, n] : s.verdicts)
    verdicts += (verdicts.empty() ? "" : ", ") + std::to_string(n) + " " + verdict;
  if (!verdicts.empty()) line += ": " + verdicts;
  if (s.markers_unmatched)
    line += "; " + std::to_string(s.markers_unmatched) + " marker(s) unmatched";
  return line;
}

int run_correlate(const CorrelateArgs& a) {
  using namespace flakegrab::correlate;
  bool partial = false;
  CorrelateResult result = correlate_inputs(a.in, partial);
  if (a.hide_ok) {
    std::erase_if(result.rows, [](const VerdictRow& r) { return r.verdict == Verdict::ok; });
  }
  std::string text;
  if (a.format == "json") text = render_json(result, a.pretty);
  if (a.format == "ndjson") text = render_ndjson(result);
  if (a.format == "csv") text = render_csv(result);
  if (a.format == "markdown") text = render_markdown(result, a.ascii, a.columns);
  write_output(a.output, text);
  if (a.format != "json" && a.format != "markdown")
    note("correlate: " + summary_line(result.summary));
  return partial ? kExitPartial : kExitOk;
}

}  // namespace

void add_correlate_command(CLI::App& app, Runner& run) {
  auto a = std::make_shared<CorrelateArgs>();
  auto* cmd = app.add_subcommand(
      "correlate", "Join markers with test history: unmute / keep / mute / fix per test");
  add_correlate_inputs(cmd, a->in);
  cmd->add_option("--format", a->format, "json, ndjson, csv or markdown")
      ->check(CLI::IsMember({"json", "ndjson", "csv", "markdown"}))
      ->capture_default_str();
  cmd->add_flag("--ascii", a->ascii, "Markdown: ASCII status marks instead of emoji");
  cmd->add_option("--columns", a->columns,
                  "Markdown: date columns for the newest N run dates; older runs are summed up "
                  "in the evidence column")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_flag("--hide-ok", a->hide_ok, "Leave out rows whose verdict is ok");
  cmd->add_option("-o,--output", a->output, "Where to write ('-' = stdout)")->capture_default_str();
  add_pretty_flag(cmd, a->pretty);
  cmd->footer(
      "Examples:\n"
      "  flakegrab correlate --scan-dir . --junit 'reports/*.xml' --format markdown\n"
      "  flakegrab correlate https://github.com/dcos/dcos.git master --bundle bundle.json");
  cmd->callback([&run, a] { run = [a] { return run_correlate(*a); }; });
}

}  // namespace flakegrab::cli
