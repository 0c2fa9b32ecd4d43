#pragma once
// The history schema's versions and how a database is brought to the newest: the version is
// kept in flakegrab_schema (one row per migration applied); a database made before that table
// existed is version 0. Every migration of one open runs in one transaction.
#include "store/sql_connection.h"

namespace flakegrab {

// 1: flakegrab_schema; flakegrab_scans.complete; flakegrab_markers.first_seen and the
//    flakegrab_first_seen table it is kept in (it survives a prune).
// 2: views flakegrab_latest_markers (the markers of the newest scan of each repo/branch) and
//    xfailflake_history_v1 (the original xfailflake-grabber's rows).
// 3: flakegrab_verdicts (push with history inputs: one row per test per scan, correlate's csv
//    columns) and the view flakegrab_latest_verdicts.
inline constexpr int kSchemaVersion = 3;

// Creates the tables or migrates them to kSchemaVersion, all or nothing. A database of a newer
// version is refused (Error naming both versions) and left untouched. Returns the version the
// database had (-1: it held no history tables).
int ensure_schema(SqlConnection& c);

}  // namespace flakegrab
