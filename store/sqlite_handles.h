#pragma once
// RAII for SQLite's C handles; SQLite errors become Error naming the file.
#include <sqlite3.h>

#include <string>
#include <string_view>

#include "base/error.h"
#include "store/sql_connection.h"

namespace flakegrab::sqlite {

class Database {
 public:
  // Opens the file (creating it when `create`); concurrent writers wait up to
  // `busy_timeout_ms` for each other.
  Database(const std::string& path, int busy_timeout_ms, bool create = true);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  sqlite3* get() const { return db_; }
  const std::string& path() const { return path_; }
  void exec(const char* sql);
  [[noreturn]] void fail(std::string_view what) const;

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

class Statement {
 public:
  Statement(Database& db, const std::string& sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds $N to params[N-1] (every parameter is written $N), as text or NULL.
  void bind_all(const std::vector<SqlValue>& params);
  // Steps once; true while a row is available.
  bool step();
  SqlRow row() const;
  void reset();

 private:
  Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace flakegrab::sqlite
