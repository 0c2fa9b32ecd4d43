// `flakegrab prune`: the history's retention, on its own (push --retention-days does the same
// in the push's transaction).
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/db_option.h"
#include "cli/messages.h"
#include "store/store.h"

namespace flakegrab::cli {

void add_prune_command(CLI::App& app, Runner& run) {
  struct Args {
    std::string db;
    int keep_days = 0;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "prune",
      "Delete scans older than --keep-days with their markers and verdicts (never the newest scan "
      "of a repo/branch; first_seen is kept)");
  add_db_option(cmd, a->db);
  cmd->add_option("--keep-days", a->keep_days, "Keep this many days of scans")
      ->required()
      ->check(CLI::PositiveNumber);
  cmd->footer(
      "Example:\n  flakegrab prune --db postgresql://flakegrab@db.example/flakes --keep-days 400");
  cmd->callback([&run, a] {
    run = [a] {
      auto db = open_history_sink(a->db);
      PruneSummary s = db->prune(a->keep_days);
      note("prune: " + std::to_string(s.scans_deleted) + " scan(s), " +
           std::to_string(s.markers_deleted) + " marker(s), " + std::to_string(s.verdicts_deleted) +
           " verdict(s) deleted from " + db->describe());
      return kExitOk;
    };
  });
}

}  // namespace flakegrab::cli
