#pragma once
#include <memory>

#include "store/sql_connection.h"
#include "store/store.h"

namespace flakegrab {

// The history on any SQL backend: migrates the schema on open (see history_schema.h), then
// pushes scans, their markers and each marker's first_seen in one transaction.
std::unique_ptr<HistorySink> make_sql_history_sink(std::unique_ptr<SqlConnection> c);

}  // namespace flakegrab
