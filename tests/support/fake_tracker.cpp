#include "support/fake_tracker.h"

#include <chrono>

#include <nlohmann/json.hpp>

namespace flakegrab::test {

using nlohmann::json;

FakeTracker::FakeTracker() {
  server_.Get(".*", [this](const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard lock(mu_);
      SeenRequest seen;
      seen.target = req.target;
      seen.path = req.path;
      char sep = '?';
      for (const auto& [k, v] : req.params) {
        seen.path += sep + k + "=" + v;
        sep = '&';
      }
      for (const auto& [k, v] : req.headers) seen.headers[k] = v;
      seen_.push_back(std::move(seen));
      max_in_flight_ = std::max(max_in_flight_, ++in_flight_);
    }
    if (delay_ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_));
    std::lock_guard lock(mu_);
    --in_flight_;
    auto it = answers_.find(req.path);
    if (it == answers_.end() || it->second.empty()) {
      res.status = 404;
      res.set_content(R"({"message":"Not Found"})", "application/json");
      return;
    }
    std::size_t& n = served_[req.path];
    const CannedAnswer& a = it->second[std::min(n, it->second.size() - 1)];
    ++n;
    res.status = a.status;
    for (const auto& [k, v] : a.headers) res.set_header(k, v);
    res.set_content(a.body, "application/json");
  });
  port_ = server_.bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  // The socket already listens; wait (bounded) for the accept loop so stop() finds it running.
  for (int i = 0; i < 2000 && !server_.is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FakeTracker::~FakeTracker() {
  server_.stop();
  thread_.join();
}

void FakeTracker::answer(const std::string& path, std::vector<CannedAnswer> answers) {
  std::lock_guard lock(mu_);
  answers_[path] = std::move(answers);
}

std::vector<SeenRequest> FakeTracker::requests() const {
  std::lock_guard lock(mu_);
  return seen_;
}

std::string jira_issue(const std::string& key, const std::string& status,
                       const std::string& category, const std::string& resolution,
                       const std::string& resolution_date) {
  json j = {
      {"expand", "renderedFields,names,schema,operations"},
      {"id", "10042"},
      {"self", "https://jira.example.com/rest/api/2/issue/10042"},
      {"key", key},
      {"fields",
       {{"status",
         {{"self", "https://jira.example.com/rest/api/2/status/10001"},
          {"name", status},
          {"id", "10001"},
          {"statusCategory",
           {{"id", category == "done"  ? 3
                   : category == "new" ? 2
                                       : 4},
            {"key", category},
            {"colorName", category == "done" ? "green" : "blue-gray"},
            {"name", category == "done"  ? "Done"
                     : category == "new" ? "To Do"
                                         : "In Progress"}}}}},
        {"resolution",
         resolution.empty() ? json(nullptr) : json{{"id", "10000"}, {"name", resolution}}},
        {"resolutiondate", resolution_date.empty() ? json(nullptr) : json(resolution_date)}}}};
  return j.dump();
}

std::string github_issue(const std::string& repo, int number, const std::string& state,
                         const std::string& state_reason, const std::string& closed_at) {
  json j = {{"url", "https://api.github.com/repos/" + repo + "/issues/" + std::to_string(number)},
            {"html_url", "https://github.com/" + repo + "/issues/" + std::to_string(number)},
            {"id", 1000 + number},
            {"number", number},
            {"title", "flaky test"},
            {"user", {{"login", "someone"}, {"id", 1}}},
            {"labels", json::array()},
            {"state", state},
            {"locked", false},
            {"comments", 3},
            {"created_at", "2023-01-02T03:04:05Z"},
            {"updated_at", "2024-05-06T07:08:09Z"},
            {"closed_at", closed_at.empty() ? json(nullptr) : json(closed_at)},
            {"state_reason", state_reason.empty() ? json(nullptr) : json(state_reason)}};
  return j.dump();
}

std::string gitlab_issue(const std::string& project, int iid, const std::string& state,
                         const std::string& closed_at) {
  json j = {
      {"id", 9000 + iid},
      {"iid", iid},
      {"project_id", 77},
      {"title", "flaky test"},
      {"state", state},
      {"created_at", "2023-01-02T03:04:05.000Z"},
      {"updated_at", "2024-05-06T07:08:09.000Z"},
      {"closed_at", closed_at.empty() ? json(nullptr) : json(closed_at)},
      {"closed_by", closed_at.empty() ? json(nullptr) : json{{"username", "someone"}}},
      {"labels", json::array()},
      {"web_url", "https://gitlab.example.com/" + project + "/-/issues/" + std::to_string(iid)}};
  return j.dump();
}

}  // namespace flakegrab::test
