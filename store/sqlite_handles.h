#pragma once
// RAII for SQLite's C handles, and statement helpers that turn SQLite errors into Error.
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "grabber/error.h"

namespace flakegrab::sqlite {

class Database {
 public:
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  sqlite3* get() const { return db_; }
  void exec(const char* sql);
  [[noreturn]] void fail(std::string_view what) const;

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

class Statement {
 public:
  Statement(Database& db, const char* sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void bind(int index, std::string_view text);
  void bind_optional(int index, const std::optional<std::string>& text);
  void bind(int index, std::int64_t value);
  void bind_null(int index);
  // Steps once; true while a row is available.
  bool step();
  void reset();

 private:
  Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Rolls back unless committed: a failed push leaves nothing behind.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace flakegrab::sqlite
