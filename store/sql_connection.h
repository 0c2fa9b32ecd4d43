#pragma once
// What the history needs from a SQL database, so that the history (schema, push, prune, reads)
// is written once for SQLite, PostgreSQL and Redshift. Parameters are written $1..$N in every
// dialect; values travel as text, SQL NULL as nullopt.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flakegrab {

// What differs between the three is kept small: column types (Redshift's TEXT is VARCHAR(256)),
// indexes (Redshift has none), how a push is serialized and how a re-pushed scan is detected
// (Redshift enforces no keys and has no ON CONFLICT).
enum class SqlDialect { sqlite, postgres, redshift };

using SqlValue = std::optional<std::string>;
using SqlRow = std::vector<SqlValue>;

struct SqlResult {
  std::vector<SqlRow> rows;
  std::int64_t changes = 0;  // rows inserted, updated or deleted by the statement
};

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual SqlDialect dialect() const = 0;
  // Names the database in messages; never holds a secret.
  virtual std::string describe() const = 0;
  // Several statements, no parameters. Throws Error naming the database.
  virtual void exec_script(const std::string& sql) = 0;
  // One statement. Throws Error naming the database.
  virtual SqlResult query(const std::string& sql, const std::vector<SqlValue>& params = {}) = 0;
  // Starts a transaction that holds the write lock from the start (SQLite: BEGIN IMMEDIATE,
  // which waits for a concurrent writer; PostgreSQL: an advisory lock; Redshift: LOCK), so two
  // pushes or migrations never interleave.
  virtual void begin_write() = 0;
};

// Rolls back unless committed: a failed push or migration leaves the database as it was.
class SqlTransaction {
 public:
  explicit SqlTransaction(SqlConnection& c) : c_(c) { c_.begin_write(); }
  ~SqlTransaction();
  SqlTransaction(const SqlTransaction&) = delete;
  SqlTransaction& operator=(const SqlTransaction&) = delete;
  void commit();

 private:
  SqlConnection& c_;
  bool done_ = false;
};

// A single value of a one-row, one-column result ("" when there is none or it is NULL).
std::string scalar(const SqlResult& r);

}  // namespace flakegrab
