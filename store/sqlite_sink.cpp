#include "store/sqlite_sink.h"

#include "store/history_schema.h"
#include "store/sqlite_handles.h"

namespace flakegrab {
namespace {

class SqliteSink final : public HistorySink {
 public:
  explicit SqliteSink(const std::string& path) : path_(path), db_(path) {
    db_.exec(kHistorySchemaSql);
  }

  PushSummary push(const std::vector<ScanSnapshot>& snapshots) override {
    PushSummary summary;
    sqlite::Transaction tx(db_);
    sqlite::Statement scan_row(db_, kInsertScanSql);
    sqlite::Statement marker_row(db_, kInsertMarkerSql);
    for (const auto& snap : snapshots) {
      bind_scan(scan_row, snap);
      scan_row.step();
      scan_row.reset();
      // The scan's identity is unique: an existing row means this exact scan was pushed.
      if (sqlite3_changes(db_.get()) == 0) {
        ++summary.scans_already_present;
        continue;
      }
      ++summary.scans_written;
      for (const auto& m : snap.scan.markers) {
        bind_marker(marker_row, snap, m);
        marker_row.step();
        marker_row.reset();
        ++summary.markers_written;
      }
    }
    tx.commit();
    return summary;
  }

  std::string describe() const override { return "sqlite:" + path_; }

 private:
  static void bind_scan(sqlite::Statement& s, const ScanSnapshot& snap) {
    const auto& st = snap.scan.stats;
    s.bind(1, snap.scan.scanned_at);
    s.bind(2, snap.repo);
    s.bind(3, snap.branch);
    s.bind(4, snap.commit);
    s.bind(5, static_cast<std::int64_t>(st.files_seen));
    s.bind(6, static_cast<std::int64_t>(st.files_parsed));
    s.bind(7, static_cast<std::int64_t>(st.parse_errors));
    s.bind(8, static_cast<std::int64_t>(snap.scan.markers.size()));
  }

  static void bind_marker(sqlite::Statement& s, const ScanSnapshot& snap, const Marker& m) {
    s.bind(1, snap.scan.scanned_at);
    s.bind(2, snap.repo);
    s.bind(3, snap.branch);
    s.bind(4, snap.commit);
    s.bind(5, m.test_id);
    s.bind(6, m.file);
    s.bind(7, static_cast<std::int64_t>(m.line));
    s.bind(8, m.name);
    s.bind(9, to_string(m.kind));
    s.bind(10, to_string(m.scope));
    s.bind_optional(11, m.reason);
    s.bind_optional(12, m.ticket);
    s.bind_optional(13, m.since);
    if (m.strict) {
      s.bind(14, static_cast<std::int64_t>(*m.strict ? 1 : 0));
    } else {
      s.bind_null(14);
    }
    s.bind_optional(15, m.condition);
    s.bind(16, static_cast<std::int64_t>(m.effective ? 1 : 0));
    s.bind(17, to_json(m).at("args").dump());
  }

  std::string path_;
  sqlite::Database db_;
};

}  // namespace

std::unique_ptr<HistorySink> make_sqlite_sink(const std::string& path) {
  return std::make_unique<SqliteSink>(path);
}

}  // namespace flakegrab
