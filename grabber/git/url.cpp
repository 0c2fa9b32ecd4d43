#include "grabber/git/url.h"

#include <cctype>
#include <cstdint>
#include <filesystem>

#include "base/fnv1a.h"
#include "base/redact_url.h"
#include "base/url_text.h"
#include "grabber/repo.h"

namespace flakegrab {

namespace git {

namespace {

bool is_scp_like(std::string_view repo) {
  // user@host:path, but not a Windows-ish or local path with a colon after a slash.
  size_t colon = repo.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  size_t slash = repo.find('/');
  if (slash != std::string_view::npos && slash < colon) return false;
  return repo.substr(0, colon).find('@') != std::string_view::npos;
}

}  // namespace

RepoLocation parse_location(std::string_view repo) {
  RepoLocation loc;
  size_t sep = repo.find("://");
  if (sep != std::string_view::npos) {
    loc.remote = true;
    std::string_view scheme = repo.substr(0, sep);
    size_t auth_begin = sep + 3;
    size_t auth_end = repo.find('/', auth_begin);
    if (auth_end == std::string_view::npos) auth_end = repo.size();
    std::string_view authority = repo.substr(auth_begin, auth_end - auth_begin);
    size_t at = authority.rfind('@');
    if (at != std::string_view::npos && !starts_with_ci(scheme, "ssh")) {
      std::string_view userinfo = authority.substr(0, at);
      size_t colon = userinfo.find(':');
      loc.username = percent_decode(userinfo.substr(0, colon));
      if (colon != std::string_view::npos)
        loc.password = percent_decode(userinfo.substr(colon + 1));
    } else if (at != std::string_view::npos) {
      std::string_view userinfo = authority.substr(0, at);
      size_t colon = userinfo.find(':');
      if (colon != std::string_view::npos)
        loc.password = percent_decode(userinfo.substr(colon + 1));
      loc.username = percent_decode(userinfo.substr(0, colon));
    }
    loc.url = redact_url(repo);
    loc.display = loc.url;
    return loc;
  }
  if (is_scp_like(repo)) {
    loc.remote = true;
    loc.url = std::string(repo);
    loc.display = loc.url;
    loc.username = std::string(repo.substr(0, repo.find('@')));
    return loc;
  }
  loc.remote = false;
  loc.url = std::filesystem::absolute(std::filesystem::path(repo)).lexically_normal().string();
  loc.display = std::string(repo);
  return loc;
}

std::string mirror_name(std::string_view display_url) {
  // Stable across builds and platforms, enough to keep mirrors apart.
  std::uint64_t h = fnv1a64(display_url);
  std::string base;
  std::string_view tail = display_url;
  while (!tail.empty() && (tail.back() == '/')) tail.remove_suffix(1);
  size_t cut = tail.find_last_of("/:");
  if (cut != std::string_view::npos) tail = tail.substr(cut + 1);
  for (char c : tail) {
    base.push_back(
        std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ? c : '_');
  }
  if (base.size() > 4 && base.ends_with(".git")) base.resize(base.size() - 4);
  if (base.empty()) base = "repo";
  return base + "-" + hex64(h) + ".git";
}

}  // namespace git
}  // namespace flakegrab
