#include "serve/metrics.h"

#include <cstdio>

namespace flakegrab::serve {
namespace {

// A label value with backslash, quote and newline escaped.
std::string label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void family(std::string& out, const char* name, const char* type, const char* help) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

void Metrics::count_request(const std::string& endpoint, int status, std::size_t bytes) {
  std::lock_guard lock(mutex_);
  ++requests_[{endpoint, status}];
  bytes_[endpoint] += bytes;
}

void Metrics::count_refresh(double seconds, bool ok, std::time_t at) {
  std::lock_guard lock(mutex_);
  ++refreshes_;
  last_refresh_seconds_ = seconds;
  if (ok)
    last_success_ = at;
  else
    ++refresh_failures_;
}

std::string Metrics::render(const Snapshot* snap) const {
  std::string out;
  if (snap) {
    family(out, "flakegrab_markers", "gauge", "Markers served, by repository, branch and kind.");
    for (const auto& [key, n] : snap->marker_counts) {
      auto t1 = key.find('\t'), t2 = key.find('\t', t1 + 1);
      out += "flakegrab_markers{repo=\"" + label(key.substr(0, t1)) + "\",branch=\"" +
             label(key.substr(t1 + 1, t2 - t1 - 1)) + "\",kind=\"" + label(key.substr(t2 + 1)) +
             "\"} " + std::to_string(n) + "\n";
    }
    family(out, "flakegrab_verdicts", "gauge", "Tests by verdict (when history is served).");
    for (const auto& [v, n] : snap->verdict_counts)
      out += "flakegrab_verdicts{verdict=\"" + label(v) + "\"} " + std::to_string(n) + "\n";
    family(out, "flakegrab_scans_stale", "gauge",
           "Repository branches served from an older scan because the last refresh failed.");
    std::size_t stale = 0;
    for (const auto& e : snap->entries) stale += e.stale();
    out += "flakegrab_scans_stale " + std::to_string(stale) + "\n";
  }
  std::lock_guard lock(mutex_);
  family(out, "flakegrab_refreshes_total", "counter", "Refreshes attempted.");
  out += "flakegrab_refreshes_total " + std::to_string(refreshes_) + "\n";
  family(out, "flakegrab_refresh_failures_total", "counter", "Refreshes that failed.");
  out += "flakegrab_refresh_failures_total " + std::to_string(refresh_failures_) + "\n";
  family(out, "flakegrab_refresh_duration_seconds", "gauge", "Duration of the last refresh.");
  out += "flakegrab_refresh_duration_seconds " + number(last_refresh_seconds_) + "\n";
  family(out, "flakegrab_last_success_timestamp_seconds", "gauge",
         "Unix time of the last successful refresh.");
  out += "flakegrab_last_success_timestamp_seconds " + std::to_string(last_success_) + "\n";
  family(out, "flakegrab_http_requests_total", "counter", "Requests by endpoint and status.");
  for (const auto& [key, n] : requests_)
    out += "flakegrab_http_requests_total{endpoint=\"" + label(key.first) + "\",status=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(n) + "\n";
  family(out, "flakegrab_http_response_bytes_total", "counter", "Body bytes sent by endpoint.");
  for (const auto& [endpoint, n] : bytes_)
    out += "flakegrab_http_response_bytes_total{endpoint=\"" + label(endpoint) + "\"} " +
           std::to_string(n) + "\n";
  return out;
}

}  // namespace flakegrab::serve
