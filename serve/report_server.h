#pragma once
// The HTTP service: serves the latest correlation as Redash-readable JSON, refreshed in the
// background so a dashboard request never waits for a scan.
//
//   GET /verdicts[?verdict=unmute,keep]  flat array of rows (correlate's csv columns, typed)
//   GET /summary                         one-row array: the correlation summary
//   GET /healthz                         {"status": "ok"|"stale"|"starting", ...}
//
// With a token set, every endpoint but /healthz wants `Authorization: Bearer <token>`.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "correlate/correlate.h"

namespace flakegrab::serve {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port
  std::string token;
  std::chrono::seconds refresh{3600};
};

// Computes the report; may throw Error (then the last good report stays served).
using ReportProducer = std::function<correlate::CorrelateResult()>;

class ReportServer {
 public:
  ReportServer(ReportProducer producer, ServerOptions options);
  ~ReportServer();
  ReportServer(const ReportServer&) = delete;
  ReportServer& operator=(const ReportServer&) = delete;

  // Produces the first report (throws Error when that fails: nothing to serve), binds, and
  // starts serving and refreshing in background threads. Returns the bound port.
  int start();
  // Stops serving and refreshing; also done by the destructor.
  void stop();
  // Blocks until stop() is called (from a signal handler thread, say).
  void wait();
  // Recomputes now (the refresh thread calls this every `refresh`).
  void refresh();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace flakegrab::serve
