#pragma once
// What kind of repository location a REPO argument is, and the userinfo it may carry.
#include <optional>
#include <string>
#include <string_view>

namespace flakegrab::git {

struct RepoLocation {
  bool remote = false;  // true: mirrored into the cache; false: a local path opened in place
  std::string url;      // for libgit2: userinfo stripped (ssh user names kept)
  std::string display;  // what output, errors and the mirror's config may show
  std::optional<std::string> username;  // userinfo taken out of the URL, kept in memory only
  std::optional<std::string> password;
};

// Local paths (no scheme, not scp-like) stay local; file://, http(s)://, ssh://, git:// and
// user@host:path are remotes.
RepoLocation parse_location(std::string_view repo);

// A stable, filesystem-safe directory name for a remote's mirror.
std::string mirror_name(std::string_view display_url);

}  // namespace flakegrab::git
