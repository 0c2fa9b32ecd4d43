#pragma once
// A real HTTP server on 127.0.0.1 that answers as an issue tracker would: canned answers per
// path (in the real Jira / GitHub / GitLab JSON shapes, see the *_issue helpers), and a record
// of every request with its headers so tests can check where a token went.
#include <httplib.h>

#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace flakegrab::test {

struct CannedAnswer {
  CannedAnswer(int s, std::string b, std::map<std::string, std::string> h = {})
      : status(s), body(std::move(b)), headers(std::move(h)) {}
  int status = 200;
  std::string body;
  std::map<std::string, std::string> headers;
};

struct SeenRequest {
  std::string path;    // decoded, with the decoded query
  std::string target;  // as sent, still percent-encoded
  std::map<std::string, std::string> headers;
};

class FakeTracker {
 public:
  FakeTracker();
  ~FakeTracker();
  FakeTracker(const FakeTracker&) = delete;
  FakeTracker& operator=(const FakeTracker&) = delete;

  // Answers for `path` (without query) in turn; the last one repeats.
  void answer(const std::string& path, std::vector<CannedAnswer> answers);
  // Each request is held this long first (to see how many run at once).
  void set_delay_ms(int ms) { delay_ms_ = ms; }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }
  std::vector<SeenRequest> requests() const;
  int max_in_flight() const { return max_in_flight_; }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  int delay_ms_ = 0;
  mutable std::mutex mu_;
  std::map<std::string, std::vector<CannedAnswer>> answers_;
  std::map<std::string, std::size_t> served_;
  std::vector<SeenRequest> seen_;
  int in_flight_ = 0, max_in_flight_ = 0;
};

// GET /rest/api/2/issue/{key}: statusCategory key new | indeterminate | done.
std::string jira_issue(const std::string& key, const std::string& status,
                       const std::string& category, const std::string& resolution,
                       const std::string& resolution_date);
// GET /repos/{owner}/{repo}/issues/{n}: state open | closed, state_reason or "" for null.
std::string github_issue(const std::string& repo, int number, const std::string& state,
                         const std::string& state_reason, const std::string& closed_at);
// GET /api/v4/projects/:id/issues/:iid: state opened | closed.
std::string gitlab_issue(const std::string& project, int iid, const std::string& state,
                         const std::string& closed_at);

}  // namespace flakegrab::test
