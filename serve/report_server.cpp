#include "serve/report_server.h"

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "base/error.h"
#include "base/url_text.h"
#include "correlate/time_util.h"
#include "serve/connection_guard.h"
#include "serve/metrics.h"
#include "serve/query.h"

namespace flakegrab::serve {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

const char* kDataPaths = R"(/(|markers|redash|verdicts|summary|scans))";
const char* kAllPaths = R"(/(|markers|redash|verdicts|summary|scans|healthz|metrics))";

void send_error(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(json{{"error", message}}.dump(), "application/json");
}

// cpp-httplib compresses a compressible body by itself (brotli first) when the client asks,
// once per request: hundreds of milliseconds of CPU for anyone to request. Bodies here are
// compressed once per refresh instead, so the library must not see what the client accepts.
// The request is a non-const object inside the library; its handlers just get a const view.
void hide_accept_encoding(const httplib::Request& req) {
  const_cast<httplib::Request&>(req).headers.erase("Accept-Encoding");
}

bool accepts_gzip(const httplib::Request& req) {
  std::string ae = req.get_header_value("Accept-Encoding");
  auto at = ae.find("gzip");
  if (at == std::string::npos) return false;
  auto end = ae.find(',', at);
  std::string item = ae.substr(at, end == std::string::npos ? std::string::npos : end - at);
  return item.find("q=0") == std::string::npos || item.find("q=0.") != std::string::npos;
}

bool etag_matches(const std::string& if_none_match, const std::string& etag) {
  if (if_none_match.empty()) return false;
  if (if_none_match == "*") return true;
  return if_none_match.find(etag) != std::string::npos;
}

void send_body(const httplib::Request& req, httplib::Response& res, const Body& body) {
  const bool gz = !body.gzip.empty() && accepts_gzip(req);
  hide_accept_encoding(req);
  std::string etag = gz ? body.etag.substr(0, body.etag.size() - 1) + "-gz\"" : body.etag;
  res.set_header("ETag", etag);
  res.set_header("Vary", "Accept-Encoding");
  res.set_header("Cache-Control", "no-cache");
  if (etag_matches(req.get_header_value("If-None-Match"), etag)) {
    res.status = 304;
    return;
  }
  if (gz) res.set_header("Content-Encoding", "gzip");
  res.set_content(gz ? body.gzip : body.plain, body.content_type.c_str());
}

// The same request with `offset` moved on.
std::string next_page(const httplib::Request& req, std::size_t offset) {
  std::string q;
  for (const auto& [k, v] : req.params) {
    if (k == "offset") continue;
    q += (q.empty() ? "" : "&") + percent_encode(k, ",") + "=" + percent_encode(v, ",");
  }
  return req.path + "?" + q + "&offset=" + std::to_string(offset);
}

}  // namespace

struct ReportServer::State {
  Producer producer;
  ServerOptions options;
  httplib::Server http;
  ConnectionGuard guard;
  std::unique_ptr<httplib::TaskQueue> pool;  // handed to the library when it starts listening
  Metrics metrics;
  std::thread http_thread, refresh_thread;
  std::atomic<bool> http_done = false, refreshing = false;

  std::mutex mutex;  // guards the fields below; held only to copy or swap a pointer
  std::condition_variable wake;
  bool stopping = false;
  std::shared_ptr<const Snapshot> snapshot;
  std::string last_error;
  std::mutex refresh_mutex;  // one refresh at a time

  std::shared_ptr<const Snapshot> current() {
    std::lock_guard lock(mutex);
    return snapshot;
  }
  bool authorized(const httplib::Request& req, httplib::Response& res) {
    if (options.auth.allows(req.get_header_value("Authorization"))) return true;
    res.set_header("WWW-Authenticate", options.auth.challenge());
    send_error(res, 401, "missing or wrong credentials");
    return false;
  }
  void data(const httplib::Request& req, httplib::Response& res);
  void health(httplib::Response& res);
};

void refresh_state(ReportServer::State& s);

void ReportServer::State::data(const httplib::Request& req, httplib::Response& res) {
  if (!authorized(req, res)) return;
  auto snap = current();
  if (!snap) return send_error(res, 503, "the first scan is still running");
  const std::string path = req.path == "/" ? "/redash" : req.path;
  const Table& table = path == "/verdicts"  ? snap->verdicts
                       : path == "/summary" ? snap->summary
                       : path == "/scans"   ? snap->scans
                                            : snap->markers;
  Query q;
  if (auto err = parse_query(req.params, *snap, table, path == "/markers", q))
    return send_error(res, 400, err->message);
  if (q.envelope && q.format != Format::json)
    return send_error(res, 400, "envelope=1: the envelope is JSON; drop format");
  if (path == "/redash" && q.format != Format::json)
    return send_error(res, 400, "format: /redash is JSON only (Redash's URL source format)");
  static const char* names[] = {"json", "ndjson", "csv"};
  if (!q.filtered()) {
    std::string key = path + " " + (q.envelope ? "envelope" : names[static_cast<int>(q.format)]);
    return send_body(req, res, snap->bodies.at(key));
  }
  std::vector<std::size_t> pick;
  std::size_t skipped = 0, limit = q.limit.value_or(table.rows.size());
  bool more = false;
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    if (!matches(table.facets[i], q)) continue;
    if (skipped++ < q.offset) continue;
    if (pick.size() == limit) {
      more = true;
      break;
    }
    pick.push_back(i);
  }
  std::string next = more ? next_page(req, q.offset + pick.size()) : "";
  if (!next.empty()) res.set_header("Link", "<" + next + ">; rel=\"next\"");
  std::string body;
  if (path == "/redash") {
    body = table.render_redash(pick);
  } else if (q.envelope) {
    json links = json::object();
    if (!next.empty()) {
      std::string proto = req.get_header_value("X-Forwarded-Proto");
      std::string host = req.get_header_value("Host");
      links["next"] = {{"href", (proto.empty() ? "http" : proto) + "://" + host + next}};
    }
    body = R"({"rows":)" + table.render(pick, Format::json) + R"(,"_links":)" + links.dump() + "}";
  } else {
    body = table.render(pick, q.format);
  }
  // Filtered bodies are built per request, so they are not compressed per request either.
  Body b;
  b.content_type = content_type_of(path == "/redash" || q.envelope ? Format::json : q.format);
  b.plain = std::move(body);
  b.etag = make_body(b.plain, "").etag;
  send_body(req, res, b);
}

void ReportServer::State::health(httplib::Response& res) {
  auto snap = current();
  std::string error;
  {
    std::lock_guard lock(mutex);
    error = last_error;
  }
  if (!snap) {
    json h = {{"status", "starting"}};
    if (!error.empty()) h["last_error"] = error;
    res.status = 503;
    res.set_content(h.dump(), "application/json");
    return;
  }
  json stale = json::array();
  for (const auto& e : snap->entries)
    if (!e.error.empty())
      stale.push_back({{"repo", e.scan.repo}, {"ref", e.scan.ref}, {"error", e.error}});
  json h = {{"status", error.empty() && stale.empty() ? "ok" : "stale"},
            {"refreshed_at", correlate::format_iso8601(snap->built_at)},
            {"age_seconds", std::time(nullptr) - snap->built_at},
            {"failed_scans", stale}};
  if (!error.empty()) h["last_error"] = error;
  res.set_content(h.dump(), "application/json");
}

ReportServer::ReportServer(Producer producer, ServerOptions options)
    : state_(std::make_shared<State>()) {
  state_->producer = std::move(producer);
  state_->options = std::move(options);
}

ReportServer::~ReportServer() {
  stop();
}

void ReportServer::refresh() {
  refresh_state(*state_);
}

void refresh_state(ReportServer::State& s) {
  std::lock_guard one(s.refresh_mutex);
  s.refreshing = true;
  const auto t0 = Clock::now();
  auto seconds = [&t0] { return std::chrono::duration<double>(Clock::now() - t0).count(); };
  try {
    RefreshInput input = s.producer();
    auto previous = s.current();
    std::vector<ScanEntry> entries = merge_scans(
        previous ? previous->entries : std::vector<ScanEntry>{}, std::move(input.scans));
    bool any = false;
    for (const auto& e : entries) {
      any |= e.scan.scan.has_value();
      if (e.error.empty()) continue;
      std::fprintf(stderr, "flakegrab: serve: %s%s\n", e.error.c_str(),
                   e.stale() ? ("; still serving " + e.scan.commit).c_str() : "");
    }
    if (!any)
      throw Error(entries.empty() ? "nothing to scan"
                                  : "no branch could be scanned: " + entries[0].error);
    auto snap = std::make_shared<const Snapshot>(
        build_snapshot(std::move(entries), input, std::time(nullptr)));
    {
      std::lock_guard lock(s.mutex);  // O(1): the snapshot was built outside
      s.snapshot = std::move(snap);
      s.last_error.clear();
    }
    s.metrics.count_refresh(seconds(), true, std::time(nullptr));
    s.refreshing = false;
  } catch (const Error& e) {
    s.metrics.count_refresh(seconds(), false, 0);
    s.refreshing = false;
    std::lock_guard lock(s.mutex);
    s.last_error = e.what();
    if (!s.snapshot) throw;  // nothing to serve: the caller says so
    std::fprintf(stderr, "flakegrab: serve: refresh failed, still serving the last snapshot: %s\n",
                 e.what());
  }
}

int ReportServer::start() {
  State& s = *state_;
  const ServerOptions& o = s.options;
  // Made before listening, so the first connections do not wait for hundreds of threads.
  s.pool = make_worker_pool(o.workers);
  s.http.new_task_queue = [&s] {
    return s.pool ? s.pool.release() : make_worker_pool(s.options.workers).release();
  };
  s.http.set_tcp_nodelay(true);
  s.http.set_keep_alive_max_count(o.keep_alive_requests);
  s.http.set_keep_alive_timeout(o.io_timeout.count());
  s.http.set_read_timeout(o.io_timeout.count());
  s.http.set_write_timeout(o.io_timeout.count());
  s.http.set_payload_max_length(o.max_body_bytes);
  // Counted before the response is written (the logger runs after): a client that has read one
  // response and then asks /metrics must see that response counted.
  s.http.set_post_routing_handler([&s](const httplib::Request& req, httplib::Response& res) {
    static const std::set<std::string> known = {"/",        "/markers", "/redash",  "/verdicts",
                                                "/summary", "/scans",   "/healthz", "/metrics"};
    s.metrics.count_request(known.count(req.path) ? req.path : "other", res.status,
                            res.body.size());
  });
  s.http.set_logger([&s](const httplib::Request& req, const httplib::Response&) {
    s.guard.request_done(req.remote_addr, req.remote_port);
  });
  s.http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    send_error(res, res.status,
               res.status == 404 ? "no such endpoint: " + req.path : "request refused");
  });

  auto data = [&s](const httplib::Request& req, httplib::Response& res) { s.data(req, res); };
  s.http.Get(kDataPaths, data);
  s.http.Get("/healthz", [&s](const httplib::Request& req, httplib::Response& res) {
    if (s.options.protect_metrics && !s.authorized(req, res)) return;
    s.health(res);
  });
  s.http.Get("/metrics", [&s](const httplib::Request& req, httplib::Response& res) {
    if (s.options.protect_metrics && !s.authorized(req, res)) return;
    auto snap = s.current();
    res.set_content(s.metrics.render(snap.get()), "text/plain; version=0.0.4");
  });
  auto not_allowed = [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Allow", "GET, HEAD");
    send_error(res, 405, "only GET and HEAD are served");
  };
  s.http.Post(kAllPaths, not_allowed);
  s.http.Put(kAllPaths, not_allowed);
  s.http.Patch(kAllPaths, not_allowed);
  s.http.Delete(kAllPaths, not_allowed);
  s.http.Options(kAllPaths, not_allowed);

  int port = o.port == 0 ? s.http.bind_to_any_port(o.host)
                         : (s.http.bind_to_port(o.host, o.port) ? o.port : -1);
  if (port < 0) throw Error("serve: cannot listen on " + o.host + ":" + std::to_string(o.port));
  raise_listen_backlog(port, 1024);
  s.guard.start(port, o.request_timeout, o.max_request_bytes);
  s.http_thread = std::thread([&s] {
    s.http.listen_after_bind();
    s.http_done = true;
  });
  // stop() can only stop a loop that runs: wait for it to start.
  for (int i = 0; i < 500 && !s.http.is_running() && !s.http_done; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  try {
    refresh();  // throws when there is nothing to serve
  } catch (...) {
    stop();
    throw;
  }
  s.refresh_thread = std::thread([keep = state_] {
    State& st = *keep;
    std::unique_lock lock(st.mutex);
    while (!st.wake.wait_for(lock, st.options.refresh, [&st] { return st.stopping; })) {
      lock.unlock();
      try {
        refresh_state(st);
      } catch (const Error&) {
        // already reported; the last good snapshot stays served
      }
      lock.lock();
    }
  });
  return port;
}

bool ReportServer::stop() {
  State& s = *state_;
  {
    std::lock_guard lock(s.mutex);
    if (s.stopping) return true;
    s.stopping = true;
  }
  s.wake.notify_all();
  s.http.stop();
  // The library waits for every worker; workers wait for their clients. Shutting the
  // connections down wakes them (again for ones that were still queued).
  for (int i = 0; i < 200 && s.http_thread.joinable() && !s.http_done; ++i) {
    s.guard.close_all();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (s.http_thread.joinable()) s.http_thread.join();
  s.guard.stop();
  if (!s.refresh_thread.joinable()) return true;
  if (s.refreshing) {
    s.refresh_thread.detach();  // it holds the state alive; the caller exits
    return false;
  }
  s.refresh_thread.join();
  return true;
}

}  // namespace flakegrab::serve
