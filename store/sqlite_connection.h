#pragma once
#include <memory>
#include <string>

#include "store/sql_connection.h"

namespace flakegrab {

// Opens (creating) a SQLite file. A concurrent writer is waited for (busy timeout), not failed.
std::unique_ptr<SqlConnection> open_sqlite(const std::string& path);

}  // namespace flakegrab
