// `flakegrab history`: what the history database says about muting, per repo/branch and scan
// day, or one test's timeline (--test).
#include <memory>
#include <string>

#include "base/error.h"
#include "cli/commands.h"
#include "cli/db_option.h"
#include "cli/output_file.h"
#include "store/history_report.h"
#include "store/store.h"

namespace flakegrab::cli {
namespace {

struct HistoryArgs {
  std::string db;
  HistoryQuery query;
  std::string format = "json";
  std::string output = "-";
  bool pretty = false;
};

// YYYY-MM-DD, checked for shape (the comparisons are on text).
CLI::Validator iso_date() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        bool ok = s.size() == 10 && s[4] == '-' && s[7] == '-';
        for (size_t i = 0; ok && i < s.size(); ++i)
          if (i != 4 && i != 7 && !std::isdigit(static_cast<unsigned char>(s[i]))) ok = false;
        return ok ? "" : "'" + s + "' is not a date (YYYY-MM-DD)";
      },
      "DATE");
}

int run_history(const HistoryArgs& a) {
  if (!a.query.since.empty() && !a.query.until.empty() && a.query.since > a.query.until)
    throw Error("history: --since " + a.query.since + " is after --until " + a.query.until);
  auto db = open_history_sink(a.db);
  std::string text =
      a.query.test_id.empty()
          ? render_history(db->days(a.query), a.format, a.pretty)
          : render_timeline(a.query.test_id, db->timeline(a.query), a.format, a.pretty);
  write_output(a.output, text);
  return kExitOk;
}

}  // namespace

void add_history_command(CLI::App& app, Runner& run) {
  auto a = std::make_shared<HistoryArgs>();
  auto* cmd =
      app.add_subcommand("history",
                         "Muting per repo/branch and scan day from the history database: counts, "
                         "markers added, removed and changed; or one test's timeline");
  add_db_option(cmd, a->db);
  cmd->add_option("--repo", a->query.repo, "Only this repository (as pushed)");
  cmd->add_option("--branch", a->query.branch, "Only this branch");
  cmd->add_option("--since", a->query.since, "First day shown, YYYY-MM-DD (UTC)")
      ->check(iso_date());
  cmd->add_option("--until", a->query.until, "Last day shown, YYYY-MM-DD (UTC)")->check(iso_date());
  cmd->add_option("--test", a->query.test_id,
                  "One test's muting timeline (pytest node id): first seen, by which marker, "
                  "unmuted when");
  cmd->add_option("--format", a->format, "json, ndjson, csv or markdown")
      ->check(CLI::IsMember({"json", "ndjson", "csv", "markdown"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", a->output, "Where to write ('-' = stdout)")->capture_default_str();
  add_pretty_flag(cmd, a->pretty);
  cmd->footer(
      "Examples:\n"
      "  flakegrab history --db sqlite:history.db --branch master --since 2026-11-01\n"
      "  flakegrab history --test 'tests/test_a.py::test_b' --format markdown");
  cmd->callback([&run, a] { run = [a] { return run_history(*a); }; });
}

}  // namespace flakegrab::cli
