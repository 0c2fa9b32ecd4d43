#pragma once
// RAII for libpq's handles, connecting with retries, and libpq's messages on one line.
#include <libpq-fe.h>

#include <memory>
#include <string>

namespace flakegrab::pg {

struct ConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct ResultClearer {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Conn = std::unique_ptr<PGconn, ConnCloser>;
using Result = std::unique_ptr<PGresult, ResultClearer>;

// libpq's messages span lines and indent with tabs; every message of ours is one line.
std::string one_line(const char* msg);

// How many times a transient connection failure (nothing listening yet, the server starting
// up or shutting down, too many clients) is retried, with doubling delays from 250 ms: a closed
// port fails after about 4 s.
inline constexpr int kConnectRetries = 4;

// libpq waits for a host that drops packets (or a port that never answers) as long as the OS
// lets a TCP connection hang, minutes; an attempt gets this long unless the URL's
// connect_timeout or PGCONNECT_TIMEOUT says otherwise. A timed-out attempt is not retried.
inline constexpr int kConnectTimeoutSeconds = 10;

// `uri` (a libpq URI) with connect_timeout=kConnectTimeoutSeconds added when neither it nor
// PGCONNECT_TIMEOUT sets one.
std::string with_connect_timeout(const std::string& uri);

// Connects with a libpq URI (adding the connect timeout), retrying transient failures. Throws
// Error naming `display`, the host and the database (never the conninfo) with libpq's message
// on one line.
Conn connect(const std::string& uri, const std::string& display);

}  // namespace flakegrab::pg
