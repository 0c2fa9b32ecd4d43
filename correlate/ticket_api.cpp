#include "correlate/ticket_api.h"

#include <cstdlib>

#include "base/url_text.h"
#include "correlate/fetch.h"
#include "correlate/time_util.h"

namespace flakegrab::correlate {
namespace {

using nlohmann::json;

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string iso_or_empty(const std::string& s) {
  return s.empty() ? "" : normalize_iso8601(s).value_or("");
}

// The tracker's answer, from its real JSON shape.
TicketState parse_jira(const json& j, const Tracker& t, const std::string& key) {
  TicketState s;
  const json& f = j.contains("fields") && j["fields"].is_object() ? j["fields"] : json::object();
  std::string category;
  if (f.contains("status") && f["status"].is_object() && f["status"].contains("statusCategory") &&
      f["status"]["statusCategory"].is_object())
    category = str(f["status"]["statusCategory"], "key");
  if (category.empty()) throw Error("no fields.status.statusCategory.key in the answer");
  // Jira's three categories: new, indeterminate (in progress), done.
  s.status = category == "done" ? "closed" : "open";
  if (f.contains("resolution") && f["resolution"].is_object())
    s.resolution = str(f["resolution"], "name");
  if (s.status == "closed") s.closed_at = iso_or_empty(str(f, "resolutiondate"));
  s.url = t.api + "/browse/" + key;
  return s;
}

TicketState parse_github(const json& j) {
  TicketState s;
  std::string state = str(j, "state");
  if (state != "open" && state != "closed") throw Error("no state open|closed in the answer");
  s.status = state;
  s.resolution = str(j, "state_reason");  // completed | not_planned | reopened | null
  if (state == "closed") s.closed_at = iso_or_empty(str(j, "closed_at"));
  s.url = str(j, "html_url");
  return s;
}

TicketState parse_gitlab(const json& j) {
  TicketState s;
  std::string state = str(j, "state");
  if (state != "opened" && state != "closed") throw Error("no state opened|closed in the answer");
  s.status = state == "closed" ? "closed" : "open";
  if (state == "closed") s.closed_at = iso_or_empty(str(j, "closed_at"));
  s.url = str(j, "web_url");
  return s;
}

std::string path_prefix(const std::string& api) {
  auto sep = api.find("://");
  auto slash = api.find('/', sep + 3);
  return slash == std::string::npos ? "" : api.substr(slash);
}

std::string origin_of(const std::string& api) {
  auto sep = api.find("://");
  return api.substr(0, api.find('/', sep + 3));
}

}  // namespace

TrackerRequest build_request(const Tracker& t, const TicketRef& ref, const TrackerCredentials& c,
                             bool send_token) {
  TrackerRequest r;
  r.origin = origin_of(t.api);
  const std::string base = path_prefix(t.api);
  r.headers.emplace("User-Agent", "flakegrab");
  switch (t.kind) {
    case TrackerKind::jira:
      r.path = base + "/rest/api/2/issue/" + percent_encode(ref.key) +
               "?fields=status,resolution,resolutiondate";
      r.headers.emplace("Accept", "application/json");
      if (send_token && !c.jira_bearer.empty()) {
        r.headers.emplace("Authorization", "Bearer " + c.jira_bearer);
        r.authenticated = true;
      } else if (send_token && !c.jira_user.empty() && !c.jira_token.empty()) {
        r.headers.insert(httplib::make_basic_authentication_header(c.jira_user, c.jira_token));
        r.authenticated = true;
      }
      break;
    case TrackerKind::github:
      r.path = base + "/repos/" + ref.project + "/issues/" + ref.number;
      r.headers.emplace("Accept", "application/vnd.github+json");
      r.headers.emplace("X-GitHub-Api-Version", "2022-11-28");
      if (send_token && !c.github_token.empty()) {
        r.headers.emplace("Authorization", "Bearer " + c.github_token);
        r.authenticated = true;
      }
      break;
    case TrackerKind::gitlab:
      r.path = base + "/api/v4/projects/" + percent_encode(ref.project) + "/issues/" + ref.number;
      if (send_token && !c.gitlab_token.empty()) {
        r.headers.emplace("PRIVATE-TOKEN", c.gitlab_token);
        r.authenticated = true;
      }
      break;
  }
  return r;
}

bool has_token(const Tracker& t, const TrackerCredentials& c) {
  switch (t.kind) {
    case TrackerKind::jira:
      return !c.jira_bearer.empty() || !c.jira_token.empty();
    case TrackerKind::github:
      return !c.github_token.empty();
    case TrackerKind::gitlab:
      return !c.gitlab_token.empty();
  }
  return false;
}

TicketState parse_answer(const Tracker& t, const TicketRef& ref, const json& j) {
  switch (t.kind) {
    case TrackerKind::jira:
      return parse_jira(j, t, ref.key);
    case TrackerKind::github:
      return parse_github(j);
    case TrackerKind::gitlab:
      return parse_gitlab(j);
  }
  throw Error("unknown tracker kind");
}

TrackerCredentials TrackerCredentials::from_env() {
  auto env = [](const char* name) {
    const char* v = std::getenv(name);
    return std::string(v ? v : "");
  };
  return {env("JIRA_USER"), env("JIRA_TOKEN"), env("JIRA_BEARER"), env("GITHUB_TOKEN"),
          env("GITLAB_TOKEN")};
}

}  // namespace flakegrab::correlate
