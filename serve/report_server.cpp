#include "serve/report_server.h"

#include <httplib.h>

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "correlate/report.h"
#include "correlate/time_util.h"
#include "grabber/error.h"

namespace flakegrab::serve {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// Compares without an early exit, so response time says nothing about the token's bytes.
bool same_secret(const std::string& given, const std::string& expected) {
  if (given.size() != expected.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < given.size(); ++i)
    diff |= static_cast<unsigned char>(given[i] ^ expected[i]);
  return diff == 0;
}

std::set<std::string> csv_set(const std::string& s) {
  std::set<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.insert(item);
  return out;
}

void send_json(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json");
}

}  // namespace

struct ReportServer::State {
  ReportProducer producer;
  ServerOptions options;
  httplib::Server http;
  std::thread http_thread, refresh_thread;

  std::mutex mutex;  // guards the fields below
  std::condition_variable wake;
  bool stopping = false;
  bool have_report = false;
  std::string verdicts_json = "[]", summary_json = "[]";
  std::string refreshed_at, last_error;
  std::vector<std::pair<std::string, std::string>> rows_by_verdict;  // (verdict, row json)
};

ReportServer::ReportServer(ReportProducer producer, ServerOptions options)
    : state_(std::make_unique<State>()) {
  state_->producer = std::move(producer);
  state_->options = std::move(options);
}

ReportServer::~ReportServer() {
  stop();
}

void ReportServer::refresh() {
  State& s = *state_;
  try {
    correlate::CorrelateResult result = s.producer();
    std::vector<std::pair<std::string, std::string>> rows;
    ordered_json all = ordered_json::array();
    for (const auto& r : result.rows) {
      ordered_json row = correlate::flat_row(r);
      rows.emplace_back(r.verdict, row.dump());
      all.push_back(std::move(row));
    }
    std::string summary = json::array({correlate::summary_to_json(result.summary)}).dump();
    std::lock_guard lock(s.mutex);
    s.verdicts_json = all.dump();
    s.rows_by_verdict = std::move(rows);
    s.summary_json = std::move(summary);
    s.refreshed_at = correlate::format_iso8601(std::time(nullptr));
    s.last_error.clear();
    s.have_report = true;
  } catch (const Error& e) {
    std::lock_guard lock(s.mutex);
    if (!s.have_report) throw;  // nothing to serve: the caller says so
    s.last_error = e.what();
    std::fprintf(stderr, "flakegrab: serve: refresh failed, still serving the last report: %s\n",
                 e.what());
  }
}

int ReportServer::start() {
  State& s = *state_;
  refresh();  // throws when there is nothing to serve

  auto authorized = [&s](const httplib::Request& req, httplib::Response& res) {
    if (s.options.token.empty()) return true;
    std::string want = "Bearer " + s.options.token;
    if (same_secret(req.get_header_value("Authorization"), want)) return true;
    res.set_header("WWW-Authenticate", "Bearer");
    send_json(res, 401, R"({"error":"missing or wrong bearer token"})");
    return false;
  };
  s.http.Get("/verdicts", [&s, authorized](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    std::lock_guard lock(s.mutex);
    if (!req.has_param("verdict")) return send_json(res, 200, s.verdicts_json);
    std::set<std::string> wanted = csv_set(req.get_param_value("verdict"));
    std::string body = "[";
    for (const auto& [verdict, row] : s.rows_by_verdict) {
      if (!wanted.count(verdict)) continue;
      if (body.size() > 1) body += ',';
      body += row;
    }
    send_json(res, 200, body + "]");
  });
  s.http.Get("/summary", [&s, authorized](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    std::lock_guard lock(s.mutex);
    send_json(res, 200, s.summary_json);
  });
  s.http.Get("/healthz", [&s](const httplib::Request&, httplib::Response& res) {
    std::lock_guard lock(s.mutex);
    json h = {{"status", s.last_error.empty() ? "ok" : "stale"},
              {"refreshed_at", s.refreshed_at},
              {"last_error", s.last_error}};
    send_json(res, 200, h.dump());
  });

  int port = s.options.port == 0
                 ? s.http.bind_to_any_port(s.options.host)
                 : (s.http.bind_to_port(s.options.host, s.options.port) ? s.options.port : -1);
  if (port < 0)
    throw Error("serve: cannot listen on " + s.options.host + ":" + std::to_string(s.options.port));
  s.http_thread = std::thread([&s] { s.http.listen_after_bind(); });
  s.refresh_thread = std::thread([this, &s] {
    std::unique_lock lock(s.mutex);
    while (!s.wake.wait_for(lock, s.options.refresh, [&s] { return s.stopping; })) {
      lock.unlock();
      try {
        refresh();
      } catch (const Error&) {
        // already reported; the last good report stays served
      }
      lock.lock();
    }
  });
  return port;
}

void ReportServer::wait() {
  std::unique_lock lock(state_->mutex);
  state_->wake.wait(lock, [this] { return state_->stopping; });
}

void ReportServer::stop() {
  State& s = *state_;
  {
    std::lock_guard lock(s.mutex);
    if (s.stopping) return;
    s.stopping = true;
  }
  s.wake.notify_all();
  s.http.stop();
  if (s.http_thread.joinable()) s.http_thread.join();
  if (s.refresh_thread.joinable()) s.refresh_thread.join();
}

}  // namespace flakegrab::serve
