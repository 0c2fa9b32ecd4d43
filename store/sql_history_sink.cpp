#include "store/sql_history_sink.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <tuple>

#include "base/error.h"
#include "correlate/report.h"
#include "store/history_columns.h"
#include "store/history_schema.h"

namespace flakegrab {
namespace {

std::string cast_type(const Column& c, SqlDialect d) {
  std::string t = column_type(c, d);
  return t.substr(0, t.find(" NOT NULL"));
}

// SQLite and PostgreSQL enforce the scan's key, so ON CONFLICT makes a re-push a no-op;
// Redshift has neither, so the row is inserted only when no such scan exists (the push holds
// the write lock, so no other push can slip in between).
std::string insert_scan_sql(SqlDialect d) {
  auto cols = scan_columns();
  std::string head = "INSERT INTO flakegrab_scans (" + column_names(cols) + ")";
  if (d != SqlDialect::redshift)
    return head + " VALUES " + placeholders(1, static_cast<int>(cols.size())) +
           " ON CONFLICT DO NOTHING";
  std::string select;
  for (size_t i = 0; i < cols.size(); ++i)
    select +=
        (i ? ", CAST($" : "CAST($") + std::to_string(i + 1) + " AS " + cast_type(cols[i], d) + ")";
  // The key's columns come first in the list.
  return head + " SELECT " + select +
         " WHERE NOT EXISTS (SELECT 1 FROM flakegrab_scans WHERE scanned_at = CAST($1 AS "
         "VARCHAR(32)) AND repo = CAST($2 AS VARCHAR(4096)) AND branch = CAST($3 AS "
         "VARCHAR(1024)) AND commit_sha = CAST($4 AS VARCHAR(64)))";
}

// Multi-row VALUES: one round trip per chunk (single-row inserts are very slow on Redshift);
// 500 rows x 18 columns stays below PostgreSQL's 65535 and SQLite's 32766 parameters.
constexpr size_t kRowsPerInsert = 500;

std::string insert_markers_sql(size_t rows) {
  int n = static_cast<int>(marker_columns().size());
  std::string sql =
      "INSERT INTO flakegrab_markers (" + column_names(marker_columns()) + ") VALUES ";
  for (size_t r = 0; r < rows; ++r)
    sql += (r ? "," : "") + placeholders(static_cast<int>(r) * n + 1, n);
  return sql;
}

// As many rows per statement as stay below SQLite's 32766 parameters (45 columns: 728 rows).
size_t verdict_rows_per_insert() {
  return 32000 / (std::size(kScanKey) + verdict_columns_stored().size());
}

std::string insert_verdicts_sql(size_t rows) {
  std::string names;
  for (const char* n : kScanKey) names += std::string(names.empty() ? "" : ", ") + n;
  names += ", " + column_names(verdict_columns_stored());
  int n = static_cast<int>(std::size(kScanKey) + verdict_columns_stored().size());
  std::string sql = "INSERT INTO flakegrab_verdicts (" + names + ") VALUES ";
  for (size_t r = 0; r < rows; ++r)
    sql += (r ? "," : "") + placeholders(static_cast<int>(r) * n + 1, n);
  return sql;
}

// A marker's identity within one repo/branch: test id, name, kind.
using Identity = std::tuple<std::string, std::string, std::string>;
// Per repo/branch: each identity's first_seen.
using KnownFirstSeen =
    std::map<std::pair<std::string, std::string>, std::map<Identity, std::string>>;

class SqlHistorySink final : public HistorySink {
 public:
  explicit SqlHistorySink(std::unique_ptr<SqlConnection> c) : c_(std::move(c)) {
    ensure_schema(*c_);
  }

  PushSummary push(const std::vector<ScanSnapshot>& snapshots,
                   const PushOptions& options) override {
    PushSummary summary;
    SqlTransaction tx(*c_);
    KnownFirstSeen known;  // read under the write lock, kept up to date through the push
    const std::string scan_sql = insert_scan_sql(c_->dialect());
    for (const auto& snap : snapshots) {
      std::vector<SqlValue> v;
      for (const auto& col : scan_columns()) v.push_back(col.value(snap));
      if (c_->query(scan_sql, v).changes == 0) {
        ++summary.scans_already_present;
        continue;
      }
      ++summary.scans_written;
      auto first_seen = update_first_seen(snap, known);
      push_markers(snap, first_seen);
      push_verdicts(snap);
      summary.markers_written += snap.scan.markers.size();
      summary.verdicts_written += snap.verdicts.size();
    }
    if (options.retention_days)
      summary.pruned = prune_history(*c_, *options.retention_days, std::time(nullptr));
    tx.commit();
    return summary;
  }

  PruneSummary prune(int keep_days) override {
    SqlTransaction tx(*c_);
    PruneSummary s = prune_history(*c_, keep_days, std::time(nullptr));
    tx.commit();
    return s;
  }

  std::vector<HistoryDay> days(const HistoryQuery& q) override { return read_history_days(*c_, q); }
  std::vector<MutingSpan> timeline(const HistoryQuery& q) override {
    return read_test_timeline(*c_, q);
  }

  std::vector<FirstSeen> first_seen(const std::string& repo, const std::string& branch) override {
    return read_first_seen(*c_, repo, branch);
  }

  std::string describe() const override { return c_->describe(); }

 private:
  // `first_seen[i]`: the first_seen of marker i.
  void push_markers(const ScanSnapshot& snap, const std::vector<std::string>& first_seen) {
    const auto& ms = snap.scan.markers;
    for (size_t begin = 0; begin < ms.size(); begin += kRowsPerInsert) {
      size_t end = std::min(ms.size(), begin + kRowsPerInsert);
      std::vector<SqlValue> values;
      values.reserve((end - begin) * marker_columns().size());
      for (size_t i = begin; i < end; ++i)
        for (const auto& col : marker_columns())
          values.push_back(std::string_view(col.name) == "first_seen" ? SqlValue(first_seen[i])
                                                                      : col.value(snap, ms[i]));
      c_->query(insert_markers_sql(end - begin), values);
    }
  }

  void push_verdicts(const ScanSnapshot& snap) {
    const auto& rows = snap.verdicts;
    const size_t chunk = verdict_rows_per_insert();
    for (size_t begin = 0; begin < rows.size(); begin += chunk) {
      size_t end = std::min(rows.size(), begin + chunk);
      std::vector<SqlValue> values;
      for (size_t i = begin; i < end; ++i) {
        values.insert(values.end(), {snap.scan.scanned_at, snap.repo, snap.branch, snap.commit});
        const auto flat = correlate::flat_row(rows[i]);
        for (const auto& col : verdict_columns_stored()) {
          auto it = flat.find(col.name);
          if (it == flat.end())
            throw Error(std::string("internal: verdict rows have no field ") + col.name);
          values.push_back(verdict_value(*it));
        }
      }
      c_->query(insert_verdicts_sql(end - begin), values);
    }
  }

  // first_seen lives in flakegrab_first_seen (one row per marker identity and repo/branch, never
  // pruned) and is written onto the scan's marker rows. It is worked out here from the table as
  // read once per repo/branch under the push's write lock, not by UPDATEs joining the tables
  // (those were 80% of a PostgreSQL push). A scan older than the ones stored (pushed late with
  // --from) lowers it, for the later rows too. Returns each marker's first_seen.
  std::vector<std::string> update_first_seen(const ScanSnapshot& snap, KnownFirstSeen& known) {
    auto [it, fresh] = known.try_emplace({snap.repo, snap.branch});
    auto& seen = it->second;
    if (fresh)
      for (auto& f : read_first_seen(*c_, snap.repo, snap.branch))
        seen.emplace(Identity{f.test_id, f.name, f.kind}, f.first_seen);
    const std::string& at = snap.scan.scanned_at;
    std::vector<const Identity*> added, lowered;
    std::vector<std::string> out;
    out.reserve(snap.scan.markers.size());
    for (const auto& m : snap.scan.markers) {
      auto [s, is_new] = seen.try_emplace({m.test_id, m.name, std::string(to_string(m.kind))}, at);
      if (is_new) {
        added.push_back(&s->first);
      } else if (at < s->second) {
        s->second = at;
        lowered.push_back(&s->first);
      }
      out.push_back(s->second);
    }
    for (size_t begin = 0; begin < added.size(); begin += kRowsPerInsert) {
      size_t end = std::min(added.size(), begin + kRowsPerInsert);
      std::string sql =
          "INSERT INTO flakegrab_first_seen (repo, branch, test_id, name, kind, first_seen) "
          "VALUES ";
      std::vector<SqlValue> values;
      for (size_t i = begin; i < end; ++i) {
        sql += (i > begin ? "," : "") + placeholders(static_cast<int>(i - begin) * 6 + 1, 6);
        const auto& [test_id, name, kind] = *added[i];
        values.insert(values.end(), {snap.repo, snap.branch, test_id, name, kind, at});
      }
      c_->query(sql, values);
    }
    for (const Identity* id : lowered) {
      const auto& [test_id, name, kind] = *id;
      c_->query(
          "UPDATE flakegrab_first_seen SET first_seen = $1 WHERE repo = $2 AND branch = $3 AND"
          " test_id = $4 AND name = $5 AND kind = $6 AND first_seen > $1",
          {at, snap.repo, snap.branch, test_id, name, kind});
    }
    if (!lowered.empty())
      c_->query(
          "UPDATE flakegrab_markers SET first_seen = f.first_seen FROM flakegrab_first_seen f"
          " WHERE flakegrab_markers.repo = $1 AND flakegrab_markers.branch = $2 AND " +
              join_on(kMarkerIdentity, "flakegrab_markers", "f") +
              " AND f.first_seen < flakegrab_markers.first_seen",
          {snap.repo, snap.branch});
    return out;
  }

  std::unique_ptr<SqlConnection> c_;
};

}  // namespace

std::unique_ptr<HistorySink> make_sql_history_sink(std::unique_ptr<SqlConnection> c) {
  return std::make_unique<SqlHistorySink>(std::move(c));
}

}  // namespace flakegrab
