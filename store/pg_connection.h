#pragma once
#include <memory>
#include <string>

#include "store/sql_connection.h"

namespace flakegrab {

// `conninfo` is a libpq URI without a password; `display` names it in messages. `dialect` is
// postgres or redshift (same wire protocol, different SQL).
std::unique_ptr<SqlConnection> open_pg(const std::string& conninfo, const std::string& display,
                                       SqlDialect dialect);

}  // namespace flakegrab
