#pragma once
#include <memory>
#include <string>

#include "store/store.h"

namespace flakegrab {

// PostgreSQL, or Amazon Redshift (which enforces no keys, has no ON CONFLICT or indexes, and
// caps TEXT at 256 bytes): same tables, dialect-specific DDL and de-duplication.
enum class SqlDialect { postgres, redshift };

// `url` is a postgresql:// URI without a password; `display` names it in messages.
std::unique_ptr<HistorySink> make_pg_sink(const std::string& url, const std::string& display,
                                          SqlDialect dialect);

}  // namespace flakegrab
