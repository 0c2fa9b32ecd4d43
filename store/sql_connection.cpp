#include "store/sql_connection.h"

namespace flakegrab {

SqlTransaction::~SqlTransaction() {
  if (done_) return;
  try {
    c_.exec_script("ROLLBACK");
  } catch (...) {
    // The connection is gone: the server rolls the transaction back itself.
  }
}

void SqlTransaction::commit() {
  c_.exec_script("COMMIT");
  done_ = true;
}

std::string scalar(const SqlResult& r) {
  if (r.rows.empty() || r.rows[0].empty() || !r.rows[0][0]) return "";
  return *r.rows[0][0];
}

}  // namespace flakegrab
