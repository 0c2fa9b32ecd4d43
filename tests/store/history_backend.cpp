#include "history_backend.h"

#include <sqlite3.h>

#include <atomic>
#include <cstdlib>

namespace flakegrab::test {

PgServer& HistoryBackend::server() {
  static std::unique_ptr<PgServer> s = std::make_unique<PgServer>();
  return *s;
}

HistoryBackend::HistoryBackend(std::string kind) : kind_(std::move(kind)) {
  if (kind_ == "sqlite") {
    dir_ = std::make_unique<TempDir>();
    return;
  }
  static std::atomic<int> next{0};
  database_ = "h" + std::to_string(::getpid()) + "_" + std::to_string(next++);
  std::string r = server().query("CREATE DATABASE " + database_);
  if (!r.empty()) throw std::runtime_error(r);
  ::setenv("PGPASSWORD", PgServer::kPassword, 1);
}

std::string HistoryBackend::target() const {
  if (dir_) return "sqlite:" + (*dir_ / "history.db").string();
  if (kind_ == "postgres") return server().url(database_);
  // The local server has no TLS: the Redshift default sslmode=require is overridden.
  return "redshift://" + std::string(PgServer::kUser) +
         "@127.0.0.1:" + std::to_string(server().port()) + "/" + database_ + "?sslmode=disable";
}

std::map<std::string, std::string> HistoryBackend::env() const {
  if (dir_) return {};
  return {{"PGPASSWORD", PgServer::kPassword}};
}

namespace {

std::string sqlite_query(const std::string& path, const std::string& sql) {
  sqlite3* h = nullptr;
  std::string out;
  if (sqlite3_open(path.c_str(), &h) != SQLITE_OK) return "error: cannot open";
  const char* tail = sql.c_str();
  while (tail && *tail) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(h, tail, -1, &st, &tail) != SQLITE_OK) {
      out = std::string("error: ") + sqlite3_errmsg(h);
      break;
    }
    if (!st) break;  // trailing whitespace or comments
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      for (int j = 0; j < sqlite3_column_count(st); ++j) {
        auto* v = reinterpret_cast<const char*>(sqlite3_column_text(st, j));
        out += (j ? "|" : "") + std::string(v ? v : "NULL");
      }
      out += "\n";
    }
    if (rc != SQLITE_DONE) out = std::string("error: ") + sqlite3_errmsg(h);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) break;
  }
  sqlite3_close(h);
  return out;
}

}  // namespace

std::string HistoryBackend::query(const std::string& sql) const {
  if (dir_) return sqlite_query((*dir_ / "history.db").string(), sql);
  return server().query(sql, database_);
}

Marker marker(std::string test_id, int line, std::string name, MarkerKind kind,
              std::optional<std::string> reason, std::optional<std::string> ticket) {
  Marker m;
  m.test_id = std::move(test_id);
  m.file = m.test_id.substr(0, m.test_id.find("::"));
  m.line = line;
  m.name = std::move(name);
  m.kind = kind;
  m.reason = std::move(reason);
  m.ticket = std::move(ticket);
  if (m.ticket) m.args = {{"jira", "'" + *m.ticket + "'"}};
  return m;
}

ScanSnapshot snapshot(std::string branch, std::string scanned_at, std::vector<Marker> markers) {
  ScanSnapshot s{
      "https://example.invalid/org/repo.git", std::move(branch), std::string(40, 'c'), {}};
  s.scan.scanned_at = std::move(scanned_at);
  s.scan.stats.files_seen = 3;
  s.scan.markers = std::move(markers);
  return s;
}

}  // namespace flakegrab::test
