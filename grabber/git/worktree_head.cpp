#include <git2.h>

#include "grabber/git/handles.h"
#include "grabber/repo.h"

namespace flakegrab {

WorkingTreeHead working_tree_head(const std::filesystem::path& dir) {
  static const git::Library library;
  WorkingTreeHead out;
  git_repository* raw = nullptr;
  // Searching upwards: `push --dir repo/tests` belongs to `repo`'s checkout.
  if (git_repository_open_ext(&raw, dir.c_str(), 0, nullptr) < 0) return out;
  git::Repository repo(raw);
  git_reference* head_raw = nullptr;
  if (git_repository_head(&head_raw, repo.get()) < 0) return out;  // unborn HEAD
  git::Reference head(head_raw);
  if (git_reference_is_branch(head_raw)) out.branch = git_reference_shorthand(head_raw);
  git_object* obj = nullptr;
  if (git_reference_peel(&obj, head_raw, GIT_OBJECT_COMMIT) == 0) {
    git::Object commit(obj);
    char sha[GIT_OID_HEXSZ + 1];
    git_oid_tostr(sha, sizeof sha, git_object_id(obj));
    out.commit = sha;
  }
  return out;
}

}  // namespace flakegrab
