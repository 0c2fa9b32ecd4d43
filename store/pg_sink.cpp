#include "store/pg_sink.h"

#include <algorithm>

#include "store/history_schema.h"
#include "store/pg_handles.h"

namespace flakegrab {
namespace {

// Redshift: VARCHAR(65535) because its TEXT is VARCHAR(256); no index (it has sort keys and
// ignores indexes); keys are declared for the planner but not enforced.
constexpr const char* kRedshiftSchemaSql = R"sql(
CREATE TABLE IF NOT EXISTS flakegrab_scans (
  scanned_at   VARCHAR(32)    NOT NULL,
  repo         VARCHAR(4096)  NOT NULL,
  branch       VARCHAR(1024)  NOT NULL,
  commit_sha   VARCHAR(64)    NOT NULL,
  files_seen   BIGINT         NOT NULL,
  files_parsed BIGINT         NOT NULL,
  parse_errors BIGINT         NOT NULL,
  markers      BIGINT         NOT NULL,
  PRIMARY KEY (repo, branch, commit_sha, scanned_at)
);
CREATE TABLE IF NOT EXISTS flakegrab_markers (
  scanned_at   VARCHAR(32)    NOT NULL,
  repo         VARCHAR(4096)  NOT NULL,
  branch       VARCHAR(1024)  NOT NULL,
  commit_sha   VARCHAR(64)    NOT NULL,
  test_id      VARCHAR(65535) NOT NULL,
  file         VARCHAR(4096)  NOT NULL,
  line         INTEGER        NOT NULL,
  name         VARCHAR(256)   NOT NULL,
  kind         VARCHAR(16)    NOT NULL,
  scope        VARCHAR(16)    NOT NULL,
  reason       VARCHAR(65535),
  ticket       VARCHAR(1024),
  since        VARCHAR(256),
  strict       INTEGER,
  condition    VARCHAR(65535),
  effective    INTEGER        NOT NULL,
  args         VARCHAR(65535) NOT NULL
);
)sql";

constexpr const char* kScanColumns =
    "(scanned_at, repo, branch, commit_sha, files_seen, files_parsed, parse_errors, markers)";

// Postgres enforces the key, so ON CONFLICT makes a re-push a no-op even when two run at once;
// Redshift has neither, so the row is inserted only when no such scan exists.
std::string insert_scan_sql(SqlDialect d) {
  std::string head = std::string("INSERT INTO flakegrab_scans ") + kScanColumns;
  if (d == SqlDialect::postgres)
    return head + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING";
  return head +
         " SELECT $1::VARCHAR, $2::VARCHAR, $3::VARCHAR, $4::VARCHAR, $5::BIGINT, $6::BIGINT,"
         " $7::BIGINT, $8::BIGINT WHERE NOT EXISTS (SELECT 1 FROM flakegrab_scans WHERE"
         " scanned_at = $1::VARCHAR AND repo = $2::VARCHAR AND branch = $3::VARCHAR AND"
         " commit_sha = $4::VARCHAR)";
}

constexpr int kMarkerColumns = 17;
// Multi-row VALUES: one round trip per chunk (single-row inserts are very slow on Redshift);
// 500 rows x 17 stays far below the protocol's 65535-parameter limit.
constexpr size_t kRowsPerInsert = 500;

std::string insert_markers_sql(size_t rows) {
  std::string sql =
      "INSERT INTO flakegrab_markers (scanned_at, repo, branch, commit_sha, test_id, file, line,"
      " name, kind, scope, reason, ticket, since, strict, condition, effective, args) VALUES ";
  int p = 1;
  for (size_t r = 0; r < rows; ++r) {
    sql += r ? ",(" : "(";
    for (int c = 0; c < kMarkerColumns; ++c) sql += (c ? ",$" : "$") + std::to_string(p++);
    sql += ")";
  }
  return sql;
}

class PgSink final : public HistorySink {
 public:
  PgSink(const std::string& url, std::string display, SqlDialect dialect)
      : display_(std::move(display)), dialect_(dialect), conn_(pg::connect(url, display_)) {
    pg::exec(conn_.get(),
             dialect_ == SqlDialect::postgres ? kHistorySchemaSql : kRedshiftSchemaSql);
  }

  PushSummary push(const std::vector<ScanSnapshot>& snapshots) override {
    PushSummary summary;
    pg::Transaction tx(conn_.get());
    const std::string scan_sql = insert_scan_sql(dialect_);
    for (const auto& snap : snapshots) {
      const auto& st = snap.scan.stats;
      std::vector<std::optional<std::string>> v = {snap.scan.scanned_at,
                                                   snap.repo,
                                                   snap.branch,
                                                   snap.commit,
                                                   std::to_string(st.files_seen),
                                                   std::to_string(st.files_parsed),
                                                   std::to_string(st.parse_errors),
                                                   std::to_string(snap.scan.markers.size())};
      auto r = pg::exec(conn_.get(), scan_sql, v);
      if (std::string(PQcmdTuples(r.get())) == "0") {
        ++summary.scans_already_present;
        continue;
      }
      ++summary.scans_written;
      push_markers(snap);
      summary.markers_written += snap.scan.markers.size();
    }
    tx.commit();
    return summary;
  }

  std::string describe() const override { return display_; }

 private:
  void push_markers(const ScanSnapshot& snap) {
    const auto& ms = snap.scan.markers;
    for (size_t begin = 0; begin < ms.size(); begin += kRowsPerInsert) {
      size_t end = std::min(ms.size(), begin + kRowsPerInsert);
      std::vector<std::optional<std::string>> values;
      values.reserve((end - begin) * kMarkerColumns);
      auto add = [&](std::optional<std::string> v) { values.push_back(std::move(v)); };
      for (size_t i = begin; i < end; ++i) {
        const Marker& m = ms[i];
        add(snap.scan.scanned_at);
        add(snap.repo);
        add(snap.branch);
        add(snap.commit);
        add(m.test_id);
        add(m.file);
        add(std::to_string(m.line));
        add(m.name);
        add(std::string(to_string(m.kind)));
        add(std::string(to_string(m.scope)));
        add(m.reason);
        add(m.ticket);
        add(m.since);
        add(m.strict ? std::optional<std::string>(*m.strict ? "1" : "0") : std::nullopt);
        add(m.condition);
        add(m.effective ? "1" : "0");
        add(to_json(m).at("args").dump());
      }
      pg::exec(conn_.get(), insert_markers_sql(end - begin), values);
    }
  }

  std::string display_;
  SqlDialect dialect_;
  pg::Conn conn_;
};

}  // namespace

std::unique_ptr<HistorySink> make_pg_sink(const std::string& url, const std::string& display,
                                          SqlDialect dialect) {
  return std::make_unique<PgSink>(url, display, dialect);
}

}  // namespace flakegrab
