#pragma once
// Reading the history back: per repo/branch and scan day, what was muted and what changed
// since the scan before; and one test's muting timeline.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "grabber/grabber.h"
#include "store/sql_connection.h"

namespace flakegrab {

struct HistoryQuery {
  std::string repo;     // empty: every repository
  std::string branch;   // empty: every branch
  std::string since;    // YYYY-MM-DD, inclusive; empty: from the first scan
  std::string until;    // YYYY-MM-DD, inclusive; empty: to the last scan
  std::string test_id;  // for timeline()
};

struct MarkerChange {
  Marker now;
  Marker was;
};

// One scan day of one repo/branch (its last scan that day), compared with the scan day before
// it (which may lie before `since`). A marker's identity is test id + name + kind: a move to
// another line is not a change; any other difference (reason, ticket, since, args...) is.
struct HistoryDay {
  std::string repo, branch, date, commit, scanned_at;
  std::map<std::string, int> muted;  // effective markers by kind; every kind present
  std::vector<Marker> added, removed;
  std::vector<MarkerChange> changed;
  // On the first day shown of each repo/branch only: the markers of the scan day before it
  // (empty when there is none), so the days can be replayed from their changes. Not printed.
  std::vector<Marker> baseline;
};

// One stretch during which a marker muted the test on one repo/branch.
struct MutingSpan {
  std::string repo, branch;
  Marker marker;                       // as in the stretch's last scan
  std::string first_seen;              // first scan of the repo/branch that had it (may be pruned)
  std::string muted_from;              // first scan of this stretch still stored
  std::string last_seen;               // last scan of this stretch
  std::optional<std::string> unmuted;  // first scan without it, if any
};

// When a repo/branch's history first saw each marker identity (flakegrab_first_seen, which a
// prune keeps).
struct FirstSeen {
  std::string test_id, name, kind, first_seen;
};

std::vector<FirstSeen> read_first_seen(SqlConnection& c, const std::string& repo,
                                       const std::string& branch);
std::vector<HistoryDay> read_history_days(SqlConnection& c, const HistoryQuery& q);
std::vector<MutingSpan> read_test_timeline(SqlConnection& c, const HistoryQuery& q);

}  // namespace flakegrab
