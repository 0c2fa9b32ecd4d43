#include "store/sqlite_handles.h"

#include <cctype>
#include <cstdlib>

namespace flakegrab::sqlite {

Database::Database(const std::string& path, int busy_timeout_ms, bool create) : path_(path) {
  int rc = sqlite3_open_v2(path.c_str(), &db_,
                           SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0), nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(path + ": cannot open SQLite database: " + msg);
  }
  sqlite3_busy_timeout(db_, busy_timeout_ms);
}

Database::~Database() {
  sqlite3_close(db_);
}

void Database::exec(const char* sql) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail("exec");
}

void Database::fail(std::string_view what) const {
  throw Error(path_ + ": SQLite " + std::string(what) + " failed: " + sqlite3_errmsg(db_));
}

namespace {

// $N is a named parameter to SQLite and so is ?N: preparing one looks its name up in a linear
// list, which made a 9,000-parameter insert quadratic (88% of a 20k-marker push). A bare ? is
// the next number, no lookup: used when the statement names $1, $2, ... once each, in order (every
// multi-row insert); otherwise ?N. flakegrab's SQL writes $ nowhere else.
std::string numbered_parameters(const std::string& sql) {
  std::string bare, numbered;
  bool in_order = true;
  unsigned long next = 1;
  for (size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] != '$' || i + 1 >= sql.size() ||
        !std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      bare += sql[i];
      numbered += sql[i];
      continue;
    }
    size_t end = i + 1;
    while (end < sql.size() && std::isdigit(static_cast<unsigned char>(sql[end]))) ++end;
    in_order = in_order && std::stoul(sql.substr(i + 1, end - i - 1)) == next++;
    bare += '?';
    numbered += '?' + sql.substr(i + 1, end - i - 1);
    i = end - 1;
  }
  return in_order ? bare : numbered;
}

}  // namespace

Statement::Statement(Database& db, const std::string& sql) : db_(db) {
  const std::string text = numbered_parameters(sql);
  if (sqlite3_prepare_v2(db.get(), text.c_str(), static_cast<int>(text.size()), &stmt_, nullptr) !=
      SQLITE_OK)
    db.fail("prepare");
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

void Statement::bind_all(const std::vector<SqlValue>& params) {
  int n = sqlite3_bind_parameter_count(stmt_);
  for (int i = 1; i <= n; ++i) {
    if (static_cast<size_t>(i) > params.size())
      db_.fail("bind (parameter " + std::to_string(i) + ")");
    const SqlValue& v = params[i - 1];
    int rc =
        v ? sqlite3_bind_text(stmt_, i, v->data(), static_cast<int>(v->size()), SQLITE_TRANSIENT)
          : sqlite3_bind_null(stmt_, i);
    if (rc != SQLITE_OK) db_.fail("bind");
  }
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_.fail("step");
}

SqlRow Statement::row() const {
  SqlRow r;
  int n = sqlite3_column_count(stmt_);
  for (int i = 0; i < n; ++i) {
    if (sqlite3_column_type(stmt_, i) == SQLITE_NULL) {
      r.emplace_back();
    } else {
      auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
      r.emplace_back(std::string(text, sqlite3_column_bytes(stmt_, i)));
    }
  }
  return r;
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

}  // namespace flakegrab::sqlite
