#include "store/sqlite_connection.h"

#include <map>

#include "store/sqlite_handles.h"

namespace flakegrab {
namespace {

// A daily job pushing 50k markers holds the write lock for a few seconds; another push to the
// same file waits for it rather than failing.
constexpr int kBusyTimeoutMs = 120'000;

class SqliteConnection final : public SqlConnection {
 public:
  SqliteConnection(const std::string& path, bool create) : db_(path, kBusyTimeoutMs, create) {
    db_.exec("PRAGMA foreign_keys = ON");
  }

  SqlDialect dialect() const override { return SqlDialect::sqlite; }
  std::string describe() const override { return "sqlite:" + db_.path(); }
  void exec_script(const std::string& sql) override { db_.exec(sql.c_str()); }

  SqlResult query(const std::string& sql, const std::vector<SqlValue>& params) override {
    auto it = statements_.find(sql);
    if (it == statements_.end())
      it = statements_.emplace(sql, std::make_unique<sqlite::Statement>(db_, sql)).first;
    sqlite::Statement& st = *it->second;
    SqlResult r;
    st.bind_all(params);
    try {
      while (st.step()) r.rows.push_back(st.row());
    } catch (...) {
      st.reset();
      throw;
    }
    st.reset();
    r.changes = sqlite3_changes(db_.get());
    return r;
  }

  void begin_write() override { db_.exec("BEGIN IMMEDIATE"); }

 private:
  sqlite::Database db_;
  // Prepared once per connection: a push runs the same few statements thousands of times.
  std::map<std::string, std::unique_ptr<sqlite::Statement>> statements_;
};

}  // namespace

std::unique_ptr<SqlConnection> open_sqlite(const std::string& path, bool create) {
  return std::make_unique<SqliteConnection>(path, create);
}

}  // namespace flakegrab
