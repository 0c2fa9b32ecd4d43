#include "store/pg_handles.h"

#include <chrono>
#include <cstdlib>
#include <string_view>
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

// libpq's words when connect_timeout ran out (fe-connect.c): waiting again would only double
// the wait.
bool timed_out(PGconn* c) {
  return c && std::string_view(PQerrorMessage(c)).find("timeout expired") != std::string::npos;
}

}  // namespace

std::string with_connect_timeout(const std::string& uri) {
  if (const char* env = std::getenv("PGCONNECT_TIMEOUT"); env && *env) return uri;
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(uri.c_str(), &err);
  if (!opts) {  // libpq will say what is wrong with it when connecting
    PQfreemem(err);
    return uri;
  }
  bool given = false;
  for (PQconninfoOption* o = opts; o->keyword; ++o)
    if (std::string_view(o->keyword) == "connect_timeout" && o->val && *o->val) given = true;
  PQconninfoFree(opts);
  if (given) return uri;
  return uri + (uri.find('?') == std::string::npos ? "?" : "&") +
         "connect_timeout=" + std::to_string(kConnectTimeoutSeconds);
}

Conn connect(const std::string& uri, const std::string& display) {
  const std::string conninfo = with_connect_timeout(uri);
  auto delay = std::chrono::milliseconds(250);
  for (int attempt = 0;; ++attempt) {
    Conn c(PQconnectdb(conninfo.c_str()));
    if (c && PQstatus(c.get()) == CONNECTION_OK) return c;
    bool retry = attempt < kConnectRetries && !timed_out(c.get()) && transient(conninfo);
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
