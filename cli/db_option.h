#pragma once
// The one --db of every command that talks to the history database: push, history and prune
// write or read it (FLAKEGRAB_DB gives its default, else sqlite:flakegrab.db); correlate, audit
// and serve read first_seen from it when one is given (FLAKEGRAB_DB, else none).
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "correlate/mute_policy.h"
#include "store/history_read.h"

namespace flakegrab::cli {

CLI::Option* add_db_option(CLI::App* cmd, std::string& db);
CLI::Option* add_first_seen_db_option(CLI::App* cmd, std::string& db);

// A repo/branch whose markers are dated: as `push` records it.
using ScanIdentity = std::pair<std::string, std::string>;

// When the history at `db` first saw each marker of these scans (the oldest across them), for
// mutes without since= or a git age. Nothing when `db` is empty; a database that cannot be read
// is a warning on stderr (it costs the age, not the result).
// Adds `rows` to `into`, keeping the older date of an identity already there.
void merge_first_seen(correlate::MarkerFirstSeen& into, const std::vector<FirstSeen>& rows);

correlate::MarkerFirstSeen read_marker_first_seen(const std::string& db,
                                                  const std::vector<ScanIdentity>& scans);

}  // namespace flakegrab::cli
