#pragma once
#include <memory>
#include <string>

#include "store/sql_connection.h"

namespace flakegrab {

// Opens a SQLite file (creating it when `create`). A concurrent writer is waited for (busy
// timeout), not failed.
std::unique_ptr<SqlConnection> open_sqlite(const std::string& path, bool create = true);

}  // namespace flakegrab
