#pragma once
// A real PostgreSQL server for tests: initdb into a scratch directory, listening on 127.0.0.1
// only, password (SCRAM) required over TCP. Stopped and removed with the object.
#include <string>

#include "support/process.h"

namespace flakegrab::test {

class PgServer {
 public:
  static constexpr const char* kUser = "flakegrab";
  static constexpr const char* kPassword = "pg-t3st-s3cret";

  PgServer();  // throws std::runtime_error when PostgreSQL cannot be started
  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  int port() const { return port_; }
  // `pg_ctl stop -m immediate`: every backend killed, uncommitted work lost (as a crash).
  void stop_immediately();
  // Starts it again on the same port (after stop_immediately).
  void start();
  // postgresql://flakegrab@127.0.0.1:PORT/DB, no password.
  std::string url(const std::string& db = "postgres") const;
  // Runs SQL as the superuser through libpq; returns rows as "a|b\n" text, or "error: ...".
  std::string query(const std::string& sql, const std::string& db = "postgres") const;

 private:
  RunResult as_owner(const std::string& tool, const std::vector<std::string>& args) const;
  TempDir dir_;
  std::string bin_;
  std::string data_;
  int port_ = 0;
  bool started_ = false;
};

}  // namespace flakegrab::test
