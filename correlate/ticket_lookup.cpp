// Asking Jira, GitHub and GitLab for a ticket's state: bounded concurrency, rate limits, and a
// TTL cache on disk that holds answers only (never a token).
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/cache_files.h"
#include "correlate/ticket_api.h"

namespace flakegrab::correlate {
namespace {

using nlohmann::json;
using Clock = std::chrono::system_clock;

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch()).count();
}

// Seconds to wait before asking again, from Retry-After (seconds or an HTTP date) or GitHub's
// X-RateLimit-Reset (epoch seconds); nullopt when the answer is not a rate limit.
std::optional<std::int64_t> rate_limit_wait(const httplib::Response& res) {
  const bool exhausted = res.get_header_value("X-RateLimit-Remaining") == "0";
  if (res.status != 429 && !(res.status == 403 && (exhausted || res.has_header("Retry-After"))))
    return std::nullopt;
  if (res.has_header("Retry-After")) {
    std::string v = res.get_header_value("Retry-After");
    char* end = nullptr;
    long long secs = std::strtoll(v.c_str(), &end, 10);
    if (end && *end == '\0' && !v.empty()) return std::max(0LL, secs);
    std::tm tm{};
    if (strptime(v.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm))
      return std::max<std::int64_t>(0, timegm(&tm) - now_seconds());
  }
  if (res.has_header("X-RateLimit-Reset")) {
    long long reset = std::strtoll(res.get_header_value("X-RateLimit-Reset").c_str(), nullptr, 10);
    if (reset > 0) return std::max<std::int64_t>(0, reset - now_seconds());
  }
  return 1;
}

// Per tracker: no request before this time (a rate limit seen by one worker pauses all).
struct Pause {
  std::mutex mu;
  std::map<std::size_t, std::int64_t> not_before_ms;
};

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
      .count();
}

struct Outcome {
  std::optional<TicketState> state;  // nullopt: failed, `error` says why
  std::string error;
};

Outcome ask(const Tracker& t, std::size_t ti, const TicketRef& ref, const TicketLookupOptions& o,
            bool send_token, Pause& pause) {
  TrackerRequest rq = build_request(t, ref, o.credentials, send_token);
  httplib::Client client(rq.origin);
  // A redirect could carry the token to another origin: never followed.
  client.set_follow_location(false);
  client.set_connection_timeout(o.timeout_seconds);
  client.set_read_timeout(o.timeout_seconds);
  const std::int64_t deadline = now_ms() + std::int64_t{o.max_wait_seconds} * 1000;
  for (int attempt = 0; attempt < 5; ++attempt) {
    std::int64_t wait_until;
    {
      std::lock_guard lock(pause.mu);
      wait_until = pause.not_before_ms[ti];
    }
    if (wait_until > deadline) return {std::nullopt, "rate limited past the wait limit"};
    if (wait_until > now_ms())
      std::this_thread::sleep_for(std::chrono::milliseconds(wait_until - now_ms()));
    auto res = client.Get(rq.path.c_str(), rq.headers);
    if (!res) return {std::nullopt, "request failed (" + httplib::to_string(res.error()) + ")"};
    if (res->status == 200) {
      auto j = json::parse(res->body, nullptr, false);
      if (!j.is_object()) return {std::nullopt, "answer is not a JSON object"};
      try {
        return {parse_answer(t, ref, j), ""};
      } catch (const Error& e) {
        return {std::nullopt, e.what()};
      }
    }
    if (res->status == 404 || res->status == 410) {
      TicketState s;
      s.not_found = true;
      return {s, ""};
    }
    auto wait = rate_limit_wait(*res);
    if (!wait) {
      std::string why = "HTTP " + std::to_string(res->status);
      if (res->status == 401 || res->status == 403)
        why += rq.authenticated ? " (token refused)" : " (no token sent)";
      if (res->status >= 300 && res->status < 400) why += " (redirect not followed)";
      return {std::nullopt, why};
    }
    std::lock_guard lock(pause.mu);
    pause.not_before_ms[ti] = std::max(pause.not_before_ms[ti], now_ms() + *wait * 1000);
  }
  return {std::nullopt, "still rate limited after 5 attempts"};
}

// Cache: {"entries": {"<api> <key>": {state..., "fetched_at": epoch}}}.
json state_to_json(const TicketState& s, std::int64_t at) {
  return {{"status", s.status}, {"resolution", s.resolution}, {"closed_at", s.closed_at},
          {"url", s.url},       {"not_found", s.not_found},   {"fetched_at", at}};
}

json read_cache(const std::filesystem::path& file) {
  if (file.empty()) return json::object();
  auto bytes = read_checked_file(file);
  if (!bytes) return json::object();
  auto j = json::parse(*bytes, nullptr, false);
  return j.is_object() && j.contains("entries") && j["entries"].is_object() ? j["entries"]
                                                                            : json::object();
}

}  // namespace

TicketLookup lookup_tickets(const std::vector<TicketRef>& refs, const TicketLookupOptions& o) {
  TicketLookup out;
  out.states.resize(refs.size());
  json cache = read_cache(o.cache_file);
  const std::int64_t now = now_seconds();

  // One lookup per distinct (tracker, key).
  struct Job {
    std::size_t tracker;
    std::string cache_key;
    std::vector<std::size_t> refs;
    Outcome outcome;
  };
  std::vector<Job> jobs;
  std::map<std::string, std::size_t> by_key;
  std::set<std::string> unrouted;
  for (std::size_t i = 0; i < refs.size(); ++i) {
    auto t = route_ticket(refs[i], o.trackers);
    if (!t) {
      if (unrouted.insert(refs[i].key).second)
        out.warnings.push_back("tickets: no --tickets tracker for " + refs[i].key);
      continue;
    }
    std::string key = o.trackers[*t].api + " " + refs[i].key;
    auto it = cache.find(key);
    if (it != cache.end() && it->is_object() && o.ttl_seconds > 0 &&
        now - it->value("fetched_at", std::int64_t{0}) < o.ttl_seconds) {
      TicketState s;
      s.status = it->value("status", "unknown");
      s.resolution = it->value("resolution", "");
      s.closed_at = it->value("closed_at", "");
      s.url = it->value("url", "");
      s.not_found = it->value("not_found", false);
      out.states[i] = s;
      ++out.cached;
      continue;
    }
    auto [pos, fresh] = by_key.emplace(key, jobs.size());
    if (fresh) jobs.push_back({*t, key, {}, {}});
    jobs[pos->second].refs.push_back(i);
  }

  // Tokens go to https origins only, unless the user allowed plain http.
  std::vector<bool> send_token(o.trackers.size());
  for (std::size_t t = 0; t < o.trackers.size(); ++t) {
    const bool plain = o.trackers[t].api.starts_with("http://");
    send_token[t] = !plain || o.allow_insecure_auth;
    bool used = false;
    for (const auto& j : jobs) used = used || j.tracker == t;
    if (used && plain && !o.allow_insecure_auth && has_token(o.trackers[t], o.credentials))
      out.warnings.push_back("tickets: " + std::string(to_string(o.trackers[t].kind)) + " " +
                             o.trackers[t].api +
                             ": token not sent over plain http (--allow-insecure-auth allows it)");
  }

  Pause pause;
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t j = next++; j < jobs.size(); j = next++) {
      const auto& job = jobs[j];
      jobs[j].outcome = ask(o.trackers[job.tracker], job.tracker, refs[job.refs.front()], o,
                            send_token[job.tracker], pause);
    }
  };
  std::vector<std::thread> threads;
  const std::size_t n = std::min<std::size_t>(std::max(1u, o.concurrency), jobs.size());
  for (std::size_t i = 0; i < n; ++i) threads.emplace_back(worker);
  for (auto& t : threads) t.join();

  bool wrote = false;
  for (auto& job : jobs) {
    const Tracker& t = o.trackers[job.tracker];
    if (!job.outcome.state) {
      out.warnings.push_back("tickets: " + std::string(to_string(t.kind)) + " " + t.api + ": " +
                             refs[job.refs.front()].key + ": " + job.outcome.error);
      continue;
    }
    ++out.fetched;
    for (auto i : job.refs) out.states[i] = *job.outcome.state;
    cache[job.cache_key] = state_to_json(*job.outcome.state, now);
    wrote = true;
  }
  if (wrote && !o.cache_file.empty()) {
    // Entries past their TTL are dropped so the file does not grow without end.
    json kept = json::object();
    for (auto& [k, v] : cache.items())
      if (v.is_object() &&
          now - v.value("fetched_at", std::int64_t{0}) < std::max<std::int64_t>(o.ttl_seconds, 1))
        kept[k] = v;
    try {
      write_checked_file(o.cache_file, json{{"version", 1}, {"entries", kept}}.dump());
    } catch (const Error& e) {
      out.warnings.push_back(std::string("tickets: cache not written: ") + e.what());
    }
  }
  return out;
}

}  // namespace flakegrab::correlate
