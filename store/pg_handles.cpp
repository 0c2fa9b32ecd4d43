#include "store/pg_handles.h"

#include <chrono>
#include <thread>

#include "base/error.h"

namespace flakegrab::pg {

std::string one_line(const char* msg) {
  std::string s;
  for (const char* p = msg ? msg : "unknown error"; *p; ++p) {
    bool space = *p == '\n' || *p == '\r' || *p == '\t' || *p == ' ';
    if (!space) {
      s += *p;
    } else if (!s.empty() && s.back() != ' ') {
      s += ' ';
    }
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

namespace {

// PQping tells a server that is not there (or not accepting yet) from one that refused us:
// only the first is worth waiting for. Bad credentials or a missing database are final.
bool transient(const std::string& conninfo) {
  PGPing p = PQping(conninfo.c_str());
  return p == PQPING_NO_RESPONSE || p == PQPING_REJECT;
}

std::string where(PGconn* c) {
  const char* host = c ? PQhost(c) : nullptr;
  const char* port = c ? PQport(c) : nullptr;
  const char* db = c ? PQdb(c) : nullptr;
  std::string h = host && *host ? host : "?";
  if (port && *port) h += std::string(":") + port;
  return "host " + h + ", database " + (db && *db ? db : "?");
}

}  // namespace

Conn connect(const std::string& conninfo, const std::string& display) {
  auto delay = std::chrono::milliseconds(250);
  for (int attempt = 0;; ++attempt) {
    Conn c(PQconnectdb(conninfo.c_str()));
    if (c && PQstatus(c.get()) == CONNECTION_OK) return c;
    bool retry = attempt < kConnectRetries && transient(conninfo);
    if (!retry) {
      std::string tries = attempt ? ", " + std::to_string(attempt + 1) + " attempts" : "";
      throw Error(display + ": cannot connect (" + where(c.get()) + tries +
                  "): " + one_line(c ? PQerrorMessage(c.get()) : nullptr));
    }
    std::this_thread::sleep_for(delay);
    delay *= 2;
  }
}

}  // namespace flakegrab::pg
