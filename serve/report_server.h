#pragma once
// The HTTP service: the markers of every scanned repo/branch (and, with history, their
// verdicts) as Redash data sources. A background refresh rescans and rebuilds an immutable
// snapshot whose bodies are serialised and gzip-compressed once; requests only pick a
// precomputed body (or concatenate precomputed rows when filtered) and never wait for a scan.
//
//   GET /markers, /redash (and /), /verdicts, /summary, /scans   data (filters: see query.h)
//   GET /healthz   200 with the snapshot's age, 503 before the first one
//   GET /metrics   Prometheus text format
// See README.md ("serve") for the full reference.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "serve/auth.h"
#include "serve/snapshot.h"

namespace flakegrab::serve {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port
  Auth auth;
  bool protect_metrics = false;  // /healthz and /metrics need auth too
  std::chrono::seconds refresh{3600};
  std::size_t workers = 512;  // more than a crowd of idle or slow sockets can hold
  // Each request on a connection (headers, body, response) must finish within this, counted
  // from the accept or the previous response; then the connection is shut.
  std::chrono::milliseconds request_timeout{30000};
  std::chrono::seconds io_timeout{5};  // per read or write, and idle keep-alive
  std::size_t keep_alive_requests = 1000;
  std::size_t max_body_bytes = 64 * 1024;
  // Bytes a connection may send for one request (headers and body) before it is shut.
  std::uint64_t max_request_bytes = 256 * 1024;
};

// Scans and loads history; may throw Error (then the last good snapshot stays served).
using Producer = std::function<RefreshInput()>;

class ReportServer {
 public:
  ReportServer(Producer producer, ServerOptions options);
  ~ReportServer();
  ReportServer(const ReportServer&) = delete;
  ReportServer& operator=(const ReportServer&) = delete;

  // Binds, starts serving (/healthz says 503), runs the first refresh, and starts the
  // refresh thread. Throws Error when it cannot bind or the first refresh yields nothing to
  // serve. Returns the bound port.
  int start();
  // Stops serving: closes every open connection and returns within about a second. Returns
  // false when a refresh was still running and was left behind (the caller should exit the
  // process rather than unwind under it).
  bool stop();
  // Rebuilds the snapshot now (the refresh thread calls this every `refresh`).
  void refresh();

 private:
  struct State;
  friend void refresh_state(State&);
  std::shared_ptr<State> state_;
};

}  // namespace flakegrab::serve
