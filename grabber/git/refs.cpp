#include "grabber/git/refs.h"

#include <fnmatch.h>

#include <algorithm>
#include <set>

namespace flakegrab::git {

namespace {

bool is_glob(const std::string& s) {
  return s.find_first_of("*?[") != std::string::npos;
}

// Branch short names, sorted. A local worktree repo's remote-tracking branches count too when
// no local branch of that name exists, so a fresh clone can be scanned by branch name.
std::vector<std::pair<std::string, std::string>> list_branches(git_repository* repo) {
  std::vector<std::pair<std::string, std::string>> out;  // short name, full ref
  std::set<std::string> seen;
  for (const char* prefix : {"refs/heads/", "refs/remotes/origin/"}) {
    git_reference_iterator* raw = nullptr;
    std::string glob = std::string(prefix) + "*";
    if (git_reference_iterator_glob_new(&raw, repo, glob.c_str()) < 0) continue;
    ReferenceIterator it(raw);
    const char* name = nullptr;
    while (git_reference_next_name(&name, it.get()) == 0) {
      std::string full = name;
      std::string short_name = full.substr(std::string_view(prefix).size());
      if (short_name == "HEAD") continue;
      if (seen.insert(short_name).second) out.emplace_back(short_name, full);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The full name of branch `short_name`, looked up directly: a repository with 20k refs is not
// listed to find one.
std::optional<std::string> find_branch(git_repository* repo, const std::string& short_name) {
  if (short_name == "HEAD") return std::nullopt;
  for (const char* prefix : {"refs/heads/", "refs/remotes/origin/"}) {
    std::string full = prefix + short_name;
    git_reference* raw = nullptr;
    if (git_reference_lookup(&raw, repo, full.c_str()) == 0) {
      Reference owned(raw);
      return full;
    }
  }
  return std::nullopt;
}

std::optional<git_oid> peel_to_commit(git_repository* repo, const std::string& spec) {
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, repo, spec.c_str()) < 0) return std::nullopt;
  Object obj(raw);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, obj.get(), GIT_OBJECT_COMMIT) < 0) return std::nullopt;
  Object owned(peeled);
  return *git_object_id(peeled);
}

// The branch HEAD points at (a mirror's HEAD follows the remote's default branch), or
// nothing when HEAD is detached or unborn.
std::optional<std::string> head_branch(git_repository* repo) {
  git_reference* raw = nullptr;
  if (git_reference_lookup(&raw, repo, "HEAD") < 0) return std::nullopt;
  Reference head(raw);
  if (git_reference_type(raw) != GIT_REFERENCE_SYMBOLIC) return std::nullopt;
  std::string_view target = git_reference_symbolic_target(raw);
  for (std::string_view prefix : {"refs/heads/", "refs/remotes/origin/"})
    if (target.starts_with(prefix)) return std::string(target.substr(prefix.size()));
  return std::nullopt;
}

}  // namespace

std::vector<ResolvedRef> resolve_refs(git_repository* repo, const std::vector<std::string>& refs,
                                      bool all_branches, const std::string& display) {
  std::vector<ResolvedRef> out;
  std::set<std::string> done;  // branch names already emitted
  // Listed only when a glob or --all-branches needs every branch.
  std::optional<std::vector<std::pair<std::string, std::string>>> listed;
  auto branches = [&]() -> const auto& {
    if (!listed) listed = list_branches(repo);
    return *listed;
  };
  auto emit_branch = [&](const std::string& asked, const std::string& short_name,
                         const std::string& full) {
    if (!done.insert(short_name).second) return;
    ResolvedRef r{asked, short_name, {}, std::nullopt};
    if (auto oid = peel_to_commit(repo, full)) {
      r.commit = *oid;
    } else {
      r.error = display + ": branch '" + short_name + "' does not point to a commit";
    }
    out.push_back(std::move(r));
  };
  for (const auto& asked : refs) {
    if (is_glob(asked)) {
      bool any = false;
      for (const auto& [short_name, full] : branches()) {
        if (fnmatch(asked.c_str(), short_name.c_str(), 0) == 0) {
          any = true;
          emit_branch(asked, short_name, full);
        }
      }
      if (!any) out.push_back({asked, asked, {}, display + ": no branch matches '" + asked + "'"});
      continue;
    }
    // `HEAD` is recorded as the branch it points at, not as "HEAD".
    const std::string wanted = asked == "HEAD" ? head_branch(repo).value_or(asked) : asked;
    if (auto full = find_branch(repo, wanted)) {
      emit_branch(asked, wanted, *full);
      continue;
    }
    std::optional<git_oid> oid = peel_to_commit(repo, "refs/tags/" + asked);
    if (!oid && asked.find("..") == std::string::npos) oid = peel_to_commit(repo, asked);
    if (!oid) {
      out.push_back(
          {asked, asked, {}, display + ": no branch, tag or commit named '" + asked + "'"});
      continue;
    }
    if (!done.insert(asked).second) continue;
    out.push_back({asked, asked, *oid, std::nullopt});
  }
  if (all_branches) {
    for (const auto& [short_name, full] : branches()) emit_branch(short_name, short_name, full);
  }
  return out;
}

}  // namespace flakegrab::git
