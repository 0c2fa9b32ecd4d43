#pragma once
// Public interface of the store: history sinks that keep every scan's markers, so a dashboard
// can show how muting evolves per repo and branch. One interface, one backend per database.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <optional>

#include "correlate/verdict.h"
#include "grabber/grabber.h"
#include "store/history_prune.h"
#include "store/history_read.h"

namespace flakegrab {

// Where a database server's NOTICE and WARNING lines go, as one line "DATABASE: MESSAGE":
// stderr with the "flakegrab: " prefix until a caller sets its own (the CLI's is silent
// under --quiet). Set it before opening a sink.
void set_server_notice_handler(std::function<void(std::string_view line)> handler);

// One scan of one ref: the unit a daily job pushes.
struct ScanSnapshot {
  std::string repo;  // credentials stripped
  std::string branch;
  std::string commit;
  ScanResult scan;
  // With history inputs: the scan's markers judged (one row per test), stored in
  // flakegrab_verdicts with the scan's key. Empty: no verdicts for this scan.
  std::vector<correlate::VerdictRow> verdicts = {};
};

struct PushSummary {
  std::size_t scans_written = 0;
  std::size_t markers_written = 0;
  std::size_t verdicts_written = 0;
  std::size_t scans_already_present = 0;  // pushed before: a re-push is a no-op
  PruneSummary pruned;                    // with PushOptions::retention_days
};

struct PushOptions {
  // Scans older than this many days are deleted in the push's transaction (never the newest
  // of a repo/branch).
  std::optional<int> retention_days;
};

class HistorySink {
 public:
  virtual ~HistorySink() = default;
  // All or nothing: when it throws, the database holds exactly what it held before.
  virtual PushSummary push(const std::vector<ScanSnapshot>& snapshots,
                           const PushOptions& options = {}) = 0;
  // `flakegrab prune`: prune_history in a transaction of its own.
  virtual PruneSummary prune(int keep_days) = 0;
  virtual std::vector<HistoryDay> days(const HistoryQuery& q) = 0;
  virtual std::vector<MutingSpan> timeline(const HistoryQuery& q) = 0;
  virtual std::vector<FirstSeen> first_seen(const std::string& repo, const std::string& branch) = 0;
  // Names the target for messages; never contains a secret.
  virtual std::string describe() const = 0;
};

// "sqlite:PATH" or a bare path (the embedded default), "postgresql://user@host[:port]/db" or
// "redshift://user@host[:port]/db" (password from PGPASSWORD or ~/.pgpass, never the URL).
// `create`: a SQLite file that does not exist yet is made (push); false: it is an error (a
// command that only reads).
std::unique_ptr<HistorySink> open_history_sink(std::string_view target, bool create = true);

}  // namespace flakegrab
