#include "store/pg_handles.h"

#include "grabber/error.h"

namespace flakegrab::pg {
namespace {

// libpq messages end in newlines and sometimes span lines; errors here are one line.
std::string one_line(const char* msg) {
  std::string s = msg ? msg : "unknown error";
  for (char& ch : s)
    if (ch == '\n' || ch == '\r') ch = ' ';
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

Conn connect(const std::string& conninfo, const std::string& display) {
  Conn c(PQconnectdb(conninfo.c_str()));
  if (!c || PQstatus(c.get()) != CONNECTION_OK)
    throw Error(display + ": cannot connect: " + one_line(c ? PQerrorMessage(c.get()) : nullptr));
  return c;
}

Result exec(PGconn* c, const std::string& sql) {
  Result r(PQexec(c, sql.c_str()));
  auto st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
    throw Error("database: " + one_line(PQerrorMessage(c)));
  return r;
}

Result exec(PGconn* c, const std::string& sql,
            const std::vector<std::optional<std::string>>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  Result r(PQexecParams(c, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                        nullptr, nullptr, 0));
  auto st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
    throw Error("database: " + one_line(PQerrorMessage(c)));
  return r;
}

Transaction::Transaction(PGconn* c) : c_(c) {
  exec(c_, "BEGIN");
}

Transaction::~Transaction() {
  if (!done_) PQclear(PQexec(c_, "ROLLBACK"));
}

void Transaction::commit() {
  exec(c_, "COMMIT");
  done_ = true;
}

}  // namespace flakegrab::pg
