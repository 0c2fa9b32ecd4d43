#include "store/pg_connection.h"

#include <cstdio>
#include <cstdlib>

#include "grabber/error.h"
#include "store/pg_handles.h"

namespace flakegrab {
namespace {

// The one place server NOTICE and WARNING messages reach stderr: prefixed, named, one line.
void print_notice(void* display, const char* message) {
  std::fprintf(stderr, "flakegrab: %s: %s\n", static_cast<const std::string*>(display)->c_str(),
               pg::one_line(message).c_str());
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
    pg::Result r(PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr,
                              values.data(), nullptr, nullptr, 0));
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
  void check(PGresult* r) const {
    auto st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return;
    throw Error(display_ + ": " + pg::one_line(PQerrorMessage(conn_.get())));
  }

  std::string display_;
  SqlDialect dialect_;
  pg::Conn conn_;
};

}  // namespace

std::unique_ptr<SqlConnection> open_pg(const std::string& conninfo, const std::string& display,
                                       SqlDialect dialect) {
  return std::make_unique<PgConnection>(conninfo, display, dialect);
}

}  // namespace flakegrab
