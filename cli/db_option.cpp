#include "cli/db_option.h"

#include <cstdlib>

namespace flakegrab::cli {

CLI::Option* add_db_option(CLI::App* cmd, std::string& db) {
  const char* env = std::getenv("FLAKEGRAB_DB");
  db = env && *env ? env : "sqlite:flakegrab.db";
  return cmd
      ->add_option("--db", db,
                   "History database: sqlite:PATH or a path, postgresql://USER@HOST[:PORT]/DB or "
                   "redshift://USER@HOST[:PORT]/DB; the password from PGPASSWORD or ~/.pgpass "
                   "(default: $FLAKEGRAB_DB, else sqlite:flakegrab.db)")
      ->type_name("TARGET");
}

}  // namespace flakegrab::cli
