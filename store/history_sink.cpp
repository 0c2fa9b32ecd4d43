#include <string>

#include "store/sqlite_sink.h"
#include "store/store.h"

namespace flakegrab {

std::unique_ptr<HistorySink> open_history_sink(std::string_view target) {
  std::string t(target);
  if (t.rfind("postgresql://", 0) == 0 || t.rfind("postgres://", 0) == 0 ||
      t.rfind("redshift://", 0) == 0) {
    throw Error("--db: PostgreSQL/Redshift sinks are not built yet; use sqlite:PATH");
  }
  if (t.rfind("sqlite:", 0) == 0) t = t.substr(7);
  if (t.empty()) throw Error("--db: empty SQLite path");
  return make_sqlite_sink(t);
}

}  // namespace flakegrab
