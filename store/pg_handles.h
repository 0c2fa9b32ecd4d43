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
// up or shutting down, too many clients) is retried, with doubling delays from 250 ms.
inline constexpr int kConnectRetries = 5;

// Connects with a libpq conninfo string, retrying transient failures. Throws Error naming
// `display`, the host and the database (never the conninfo) with libpq's message on one line.
Conn connect(const std::string& conninfo, const std::string& display);

}  // namespace flakegrab::pg
