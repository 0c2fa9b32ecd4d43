// Tickets as written in markers, tracker specs, and which tracker answers for which ticket.
#include <cctype>
#include <cstdlib>

#include "base/redact_url.h"
#include "correlate/ticket.h"

namespace flakegrab::correlate {
namespace {

std::string_view unquote(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  // Source text: "x", 'x', f"x", r'x'.
  while (!s.empty() && (s.front() == 'f' || s.front() == 'r' || s.front() == 'u') && s.size() > 1 &&
         (s[1] == '"' || s[1] == '\'' || s[1] == 'f' || s[1] == 'r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.front() == '"' || s.front() == '\'')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == '"' || s.back() == '\'')) s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  if (s.empty() || s.size() > 12) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

bool is_jira_key(std::string_view s) {
  auto dash = s.find('-');
  if (dash == std::string_view::npos || dash < 2 || !std::isupper(static_cast<unsigned char>(s[0])))
    return false;
  for (std::size_t i = 1; i < dash; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!std::isupper(c) && !std::isdigit(c) && c != '_') return false;
  }
  std::string_view n = s.substr(dash + 1);
  return all_digits(n) && n[0] != '0';
}

bool is_repo_path(std::string_view s) {
  if (s.empty() || s.front() == '/' || s.back() == '/' || s.find("//") != std::string_view::npos)
    return false;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '-' && c != '_' && c != '.' && c != '/') return false;
  }
  return true;
}

struct UrlParts {
  std::string scheme, host, path;
};

std::optional<UrlParts> split_url(std::string_view url) {
  auto sep = url.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  UrlParts u;
  u.scheme = std::string(url.substr(0, sep));
  if (u.scheme != "http" && u.scheme != "https") return std::nullopt;
  std::string_view rest = url.substr(sep + 3);
  auto slash = rest.find('/');
  u.host = std::string(rest.substr(0, slash));
  if (u.host.empty() || u.host.find('@') != std::string::npos) return std::nullopt;
  u.path = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
  u.path = u.path.substr(0, u.path.find_first_of("?#"));
  return u;
}

std::optional<TicketRef> parse_url(std::string_view url) {
  auto u = split_url(url);
  if (!u) return std::nullopt;
  while (!u->path.empty() && u->path.back() == '/') u->path.pop_back();
  TicketRef r;
  r.host = u->host;
  r.written_url = std::string(url);
  if (auto b = u->path.rfind("/browse/"); b != std::string::npos) {
    std::string key = u->path.substr(b + 8);
    if (!is_jira_key(key)) return std::nullopt;
    r.kind = TrackerKind::jira;
    r.key = key;
    return r;
  }
  // A GitHub pull request is an issue to GitHub's issues API (same number, `state`, and
  // `closed_at` once merged or closed), so a mute citing the fix's PR is looked up too.
  for (const char* marker : {"/-/issues/", "/issues/", "/pull/"}) {
    auto at = u->path.rfind(marker);
    if (at == std::string::npos) continue;
    std::string number = u->path.substr(at + std::string_view(marker).size());
    std::string project = u->path.substr(1, at - 1);
    if (!all_digits(number) || !is_repo_path(project) || project.find('/') == std::string::npos)
      return std::nullopt;
    r.kind = std::string_view(marker) == "/-/issues/" ? TrackerKind::gitlab : TrackerKind::github;
    r.project = project;
    r.number = number;
    r.key = project + "#" + number;
    return r;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(TrackerKind k) {
  switch (k) {
    case TrackerKind::jira:
      return "jira";
    case TrackerKind::github:
      return "github";
    case TrackerKind::gitlab:
      return "gitlab";
  }
  return "jira";
}

Tracker parse_tracker(std::string_view spec) {
  auto colon = spec.find(':');
  std::string_view kind = spec.substr(0, colon);
  std::string url = colon == std::string_view::npos ? "" : std::string(spec.substr(colon + 1));
  // A URL with userinfo is refused, and its userinfo never echoed.
  const std::string shown =
      "--tickets " + std::string(kind) + (url.empty() ? "" : ":" + redact_url(url));
  while (!url.empty() && url.back() == '/') url.pop_back();
  Tracker t;
  if (kind == "jira") {
    t.kind = TrackerKind::jira;
  } else if (kind == "github") {
    t.kind = TrackerKind::github;
    if (url.empty()) {
      url = "https://api.github.com";
      t.github_com = true;
    }
  } else if (kind == "gitlab") {
    t.kind = TrackerKind::gitlab;
  } else {
    throw Error(shown + ": expected jira:URL, github[:API_URL] or gitlab:URL");
  }
  if (url.empty()) throw Error(shown + ": " + std::string(kind) + " needs a URL");
  auto u = split_url(url);
  if (!u) throw Error(shown + ": not an http(s) URL without credentials");
  t.api = url;
  // GitHub Enterprise serves its API under /api/v3 on the host its issue pages are on.
  t.web_host = u->host == "api.github.com" ? "github.com" : u->host;
  return t;
}

std::vector<Tracker> parse_trackers(const std::vector<std::string>& specs) {
  std::vector<Tracker> out;
  for (const auto& s : specs) out.push_back(parse_tracker(s));
  bool plain_github = false;
  for (const auto& t : out)
    plain_github = plain_github || (t.github_com && t.kind == TrackerKind::github);
  if (!plain_github)
    for (auto& t : out)
      if (t.kind == TrackerKind::github) t.github_com = true;
  return out;
}

std::optional<TicketRef> parse_ticket(std::string_view text, const std::string& github_repo) {
  std::string_view s = unquote(text);
  if (s.empty()) return std::nullopt;
  if (s.find("://") != std::string_view::npos) return parse_url(s);
  if (is_jira_key(s)) {
    TicketRef r;
    r.kind = TrackerKind::jira;
    r.key = std::string(s);
    return r;
  }
  auto hash = s.find('#');
  if (hash == std::string_view::npos || !all_digits(s.substr(hash + 1))) return std::nullopt;
  std::string repo = hash == 0 ? github_repo : std::string(s.substr(0, hash));
  if (!is_repo_path(repo) || repo.find('/') == std::string::npos) return std::nullopt;
  TicketRef r;
  r.kind = TrackerKind::github;
  r.project = repo;
  r.number = std::string(s.substr(hash + 1));
  r.key = r.project + "#" + r.number;
  return r;
}

std::optional<TicketRef> ticket_of(const Marker& m, const std::string& github_repo) {
  if (m.ticket)
    if (auto r = parse_ticket(*m.ticket, github_repo)) return r;
  if (!m.reason) return std::nullopt;
  const std::string& reason = *m.reason;
  for (std::size_t at = reason.find("http"); at != std::string::npos;
       at = reason.find("http", at + 4)) {
    auto end = reason.find_first_of(" \t\n\"'()<>,;", at);
    std::string candidate = reason.substr(at, end == std::string::npos ? end : end - at);
    while (!candidate.empty() && (candidate.back() == '.' || candidate.back() == ':'))
      candidate.pop_back();
    if (auto r = parse_url(candidate)) return r;
  }
  return std::nullopt;
}

std::optional<std::size_t> route_ticket(const TicketRef& ref,
                                        const std::vector<Tracker>& trackers) {
  if (ref.host.empty()) {
    for (std::size_t i = 0; i < trackers.size(); ++i)
      if (trackers[i].kind == ref.kind) return i;
    return std::nullopt;
  }
  // A URL goes to the tracker on its host; a Jira /browse/ URL only to a Jira tracker.
  for (std::size_t i = 0; i < trackers.size(); ++i) {
    if (trackers[i].web_host != ref.host) continue;
    if ((ref.kind == TrackerKind::jira) == (trackers[i].kind == TrackerKind::jira)) return i;
  }
  if (ref.host == "github.com" && ref.kind == TrackerKind::github)
    for (std::size_t i = 0; i < trackers.size(); ++i)
      if (trackers[i].kind == TrackerKind::github && trackers[i].github_com) return i;
  return std::nullopt;
}

std::int64_t parse_duration_seconds(std::string_view text) {
  const std::string shown = "--ticket-ttl " + std::string(text);
  if (text.empty()) throw Error(shown + ": expected a duration such as 6h, 30m, 2d or 90s");
  std::int64_t unit = 1;
  std::string_view digits = text;
  switch (text.back()) {
    case 's':
      unit = 1;
      digits.remove_suffix(1);
      break;
    case 'm':
      unit = 60;
      digits.remove_suffix(1);
      break;
    case 'h':
      unit = 3600;
      digits.remove_suffix(1);
      break;
    case 'd':
      unit = 86400;
      digits.remove_suffix(1);
      break;
    default:
      break;
  }
  if (!all_digits(digits)) throw Error(shown + ": expected a duration such as 6h, 30m, 2d or 90s");
  return std::strtoll(std::string(digits).c_str(), nullptr, 10) * unit;
}

}  // namespace flakegrab::correlate
