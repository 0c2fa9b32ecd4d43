// `flakegrab bundle`: JUnit XML reports -> a flake-history bundle (schema v1).
#include <cstdio>
#include <ctime>
#include <memory>

#include "base/error.h"
#include "base/iso8601.h"
#include "cli/commands.h"
#include "cli/correlate_inputs.h"
#include "cli/messages.h"
#include "cli/output_file.h"
#include "correlate/correlate.h"
#include "correlate/time_util.h"

namespace flakegrab::cli {
namespace {

struct BundleArgs {
  std::vector<std::string> junit;
  std::vector<std::string> flaky_reports;
  std::string output = "-";
  std::string run_by = "file";
  std::string suite;
  std::int64_t retention_days = 0;
  std::string source_branch, source_revision;
  unsigned threads = 0;
  bool pretty = false;
};

int run_bundle(const BundleArgs& a) {
  using namespace flakegrab::correlate;
  JunitReadResult read = read_junit_inputs("bundle", a.junit, a.flaky_reports, a.threads);
  JunitHistoryOptions ho;
  ho.grouping = a.run_by == "dir" ? RunGrouping::directory : RunGrouping::file;
  ho.suite = a.suite;
  History h = history_from_junit(read.reports, ho);
  BundleOptions opt;
  opt.generated_at = utc_now_iso8601();
  opt.generator_version = FLAKEGRAB_VERSION;
  opt.retention_days = a.retention_days;
  opt.source_branch = a.source_branch;
  opt.source_revision = a.source_revision;
  std::string text = to_json(bundle_from_history(h, opt)).dump(a.pretty ? 2 : -1) + "\n";
  write_output(a.output, text);
  note("bundle: " + std::to_string(read.reports.size()) + " reports, " +
       std::to_string(h.runs.size()) + " runs, " + std::to_string(h.tests.size()) + " tests, " +
       std::to_string(read.malformed) + " malformed");
  return read.malformed || read.missing ? kExitPartial : kExitOk;
}

}  // namespace

void add_bundle_command(CLI::App& app, Runner& run) {
  auto args = std::make_shared<BundleArgs>();
  auto* cmd =
      app.add_subcommand("bundle", "Fold JUnit XML reports into a flake-history bundle (v1)");
  cmd->add_option("--junit", args->junit, "JUnit XML file, directory (every *.xml below) or glob")
      ->required();
  add_flaky_report_option(cmd, args->flaky_reports);
  cmd->add_option("-o,--output", args->output, "Where to write the bundle ('-' = stdout)");
  cmd->add_option("--run-by", args->run_by, "One run per report 'file' or per 'dir' of reports")
      ->check(CLI::IsMember({"file", "dir"}));
  cmd->add_option("--retention-days", args->retention_days, "window.retention_days to declare")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--source-branch", args->source_branch, "runs[].source_branch for every run");
  cmd->add_option("--source-revision", args->source_revision,
                  "runs[].source_revision for every run");
  cmd->add_option("--suite", args->suite, "Suite label for every test (default: <testsuite name>)");
  cmd->add_option("--threads", args->threads, "Parallel report parsers (0 = all cores)")
      ->capture_default_str();
  add_pretty_flag(cmd, args->pretty);
  cmd->footer(
      "Examples:\n"
      "  flakegrab bundle --junit 'reports/**/*.xml' -o bundle.json\n"
      "  flakegrab bundle --junit reports/ --run-by dir --source-branch main");
  cmd->callback([&run, args] { run = [args] { return run_bundle(*args); }; });
}

}  // namespace flakegrab::cli
