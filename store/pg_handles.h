#pragma once
// RAII for libpq's handles, and a transaction that rolls back unless committed.
#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace flakegrab::pg {

struct ConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct ResultClearer {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Conn = std::unique_ptr<PGconn, ConnCloser>;
using Result = std::unique_ptr<PGresult, ResultClearer>;

// Connects with a libpq conninfo string; throws Error with `display` (never the conninfo) and
// libpq's message folded onto one line.
Conn connect(const std::string& conninfo, const std::string& display);

// Runs SQL (several statements allowed when there are no params); throws Error on failure.
Result exec(PGconn* c, const std::string& sql);
// One statement with text parameters; nullopt is SQL NULL.
Result exec(PGconn* c, const std::string& sql,
            const std::vector<std::optional<std::string>>& params);

class Transaction {
 public:
  explicit Transaction(PGconn* c);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  PGconn* c_;
  bool done_ = false;
};

}  // namespace flakegrab::pg
