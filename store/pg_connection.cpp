#include "store/pg_connection.h"

#include <cstdio>
#include <cstdlib>
#include <map>

#include "base/error.h"
#include "store/pg_handles.h"
#include "store/store.h"

namespace flakegrab {
namespace {

std::function<void(std::string_view)>& notice_handler() {
  static std::function<void(std::string_view)> handler;
  return handler;
}

// The one place server NOTICE and WARNING messages leave the store: named, one line.
void print_notice(void* display, const char* message) {
  std::string line = *static_cast<const std::string*>(display) + ": " + pg::one_line(message);
  if (notice_handler())
    notice_handler()(line);
  else
    std::fprintf(stderr, "flakegrab: %s\n", line.c_str());
}

// An arbitrary constant: the advisory lock every flakegrab writer of one database takes.
constexpr const char* kWriteLockSql = "SELECT pg_advisory_xact_lock(7236118455216120929)";

class PgConnection final : public SqlConnection {
 public:
  PgConnection(const std::string& conninfo, std::string display, SqlDialect dialect)
      : display_(std::move(display)), dialect_(dialect), conn_(pg::connect(conninfo, display_)) {
    PQsetNoticeProcessor(conn_.get(), print_notice, &display_);
  }

  SqlDialect dialect() const override { return dialect_; }
  std::string describe() const override { return display_; }

  void exec_script(const std::string& sql) override {
    pg::Result r(PQexec(conn_.get(), sql.c_str()));
    check(r.get());
  }

  SqlResult query(const std::string& sql, const std::vector<SqlValue>& params) override {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    pg::Result r(PQexecPrepared(conn_.get(), prepared(sql, static_cast<int>(values.size())),
                                static_cast<int>(values.size()), values.data(), nullptr, nullptr,
                                0));
    check(r.get());
    SqlResult out;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
      SqlRow row;
      for (int j = 0; j < PQnfields(r.get()); ++j) {
        if (PQgetisnull(r.get(), i, j)) {
          row.emplace_back();
        } else {
          row.emplace_back(std::string(PQgetvalue(r.get(), i, j), PQgetlength(r.get(), i, j)));
        }
      }
      out.rows.push_back(std::move(row));
    }
    out.changes = std::atoll(PQcmdTuples(r.get()));
    return out;
  }

  void begin_write() override {
    exec_script("BEGIN");
    if (dialect_ == SqlDialect::postgres) {
      query(kWriteLockSql, {});
    } else {
      // Redshift has no advisory locks; LOCK takes the table until the end of the transaction.
      // flakegrab_scans may not exist yet on a fresh database: then the first writer creates it.
      auto exists = query(
          "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
          " AND table_name = 'flakegrab_scans'",
          {});
      if (scalar(exists) != "0") exec_script("LOCK flakegrab_scans");
    }
  }

 private:
  // Prepared once per connection: a push runs the same multi-row insert (up to 9,000
  // parameters) hundreds of times, and parsing and planning it each time was most of the
  // server's work.
  const char* prepared(const std::string& sql, int n_params) {
    auto it = statements_.find(sql);
    if (it != statements_.end()) return it->second.c_str();
    std::string name = "flakegrab_" + std::to_string(statements_.size());
    pg::Result r(PQprepare(conn_.get(), name.c_str(), sql.c_str(), n_params, nullptr));
    check(r.get());
    return statements_.emplace(sql, std::move(name)).first->second.c_str();
  }

  void check(PGresult* r) const {
    auto st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return;
    throw Error(display_ + ": " + pg::one_line(PQerrorMessage(conn_.get())));
  }

  std::string display_;
  SqlDialect dialect_;
  pg::Conn conn_;
  std::map<std::string, std::string> statements_;  // SQL -> prepared statement name
};

}  // namespace

void set_server_notice_handler(std::function<void(std::string_view)> handler) {
  notice_handler() = std::move(handler);
}

std::unique_ptr<SqlConnection> open_pg(const std::string& conninfo, const std::string& display,
                                       SqlDialect dialect) {
  return std::make_unique<PgConnection>(conninfo, display, dialect);
}

}  // namespace flakegrab
