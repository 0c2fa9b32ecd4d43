#include "cli/db_option.h"
#include "cli/messages.h"

#include <cstdio>
#include <cstdlib>

#include "base/error.h"
#include "store/store.h"

namespace flakegrab::cli {
namespace {

const char* kDbHelp =
    "sqlite:PATH or a path, postgresql://USER@HOST[:PORT]/DB or redshift://USER@HOST[:PORT]/DB; "
    "the password from PGPASSWORD or ~/.pgpass";

std::string env_db() {
  const char* env = std::getenv("FLAKEGRAB_DB");
  return env && *env ? env : "";
}

}  // namespace

CLI::Option* add_db_option(CLI::App* cmd, std::string& db) {
  db = env_db();
  if (db.empty()) db = "sqlite:flakegrab.db";
  return cmd
      ->add_option("--db", db,
                   std::string("History database: ") + kDbHelp +
                       " (default: $FLAKEGRAB_DB, else sqlite:flakegrab.db)")
      ->type_name("TARGET");
}

CLI::Option* add_first_seen_db_option(CLI::App* cmd, std::string& db) {
  db = env_db();
  return cmd
      ->add_option("--db", db,
                   std::string("History database `push` writes, read for the day each marker was "
                               "first seen (days_muted without since= or git age): ") +
                       kDbHelp + " (default: $FLAKEGRAB_DB, else none)")
      ->type_name("TARGET");
}

void merge_first_seen(correlate::MarkerFirstSeen& into, const std::vector<FirstSeen>& rows) {
  for (const auto& f : rows) {
    auto kind = marker_kind_from_string(f.kind);
    if (!kind) continue;  // a kind this flakegrab does not know
    auto [it, fresh] =
        into.emplace(correlate::first_seen_key(f.test_id, f.name, *kind), f.first_seen);
    if (!fresh && f.first_seen < it->second) it->second = f.first_seen;
  }
}

correlate::MarkerFirstSeen read_marker_first_seen(const std::string& db,
                                                  const std::vector<ScanIdentity>& scans) {
  correlate::MarkerFirstSeen out;
  if (db.empty() || scans.empty()) return out;
  try {
    auto sink = open_history_sink(db, /*create=*/false);
    for (const auto& [repo, branch] : scans) merge_first_seen(out, sink->first_seen(repo, branch));
  } catch (const Error& e) {
    warn(std::string("no first_seen from the history: ") + e.what());
  }
  return out;
}

}  // namespace flakegrab::cli
