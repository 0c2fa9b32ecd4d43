#pragma once
// Turning what the user asked for (branch names, globs, tags, shas) into commits.
#include <optional>
#include <string>
#include <vector>

#include "grabber/git/handles.h"

namespace flakegrab::git {

struct ResolvedRef {
  std::string ref;     // as asked
  std::string branch;  // short name that matched (or the asked text for a sha/revspec)
  git_oid commit{};
  std::optional<std::string> error;  // set when nothing matched; commit is then unset
};

// Globs (*, ?, [) match branch short names; `all_branches` adds every branch. Each branch
// appears once even when asked for twice. `display` names the repository in errors.
std::vector<ResolvedRef> resolve_refs(git_repository* repo, const std::vector<std::string>& refs,
                                      bool all_branches, const std::string& display);

}  // namespace flakegrab::git
