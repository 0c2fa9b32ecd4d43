#include "grabber/git/tree_listing.h"

#include <utility>

#include "grabber/collection_rules.h"
#include "grabber/git/damage.h"

namespace flakegrab::git {

namespace {

std::optional<PytestConfig> read_pytest_config(git_odb* odb, const git_tree* root) {
  return find_pytest_config([&](const std::string& name) -> std::optional<std::string> {
    const git_tree_entry* e = git_tree_entry_byname(root, name.c_str());
    if (e == nullptr || git_tree_entry_type(e) != GIT_OBJECT_BLOB) return std::nullopt;
    return read_blob(odb, *git_tree_entry_id(e));
  });
}

bool is_blob_at(const git_tree* dir, const char* path) {
  git_tree_entry* e = nullptr;
  if (git_tree_entry_bypath(&e, dir, path) < 0) return false;
  bool blob = git_tree_entry_type(e) == GIT_OBJECT_BLOB;
  git_tree_entry_free(e);
  return blob;
}

// pytest's test for a virtualenv (or conda environment) root, as the directory walk does it.
bool is_venv(const git_tree* dir) {
  return is_blob_at(dir, "pyvenv.cfg") || is_blob_at(dir, "conda-meta/history");
}

TreeListing list_with(const git_tree* root, const CollectionRules& rules) {
  TreeListing out;
  git_repository* repo = git_tree_owner(root);
  // Depth first, without recursion: a path may be thousands of directories deep.
  std::vector<std::pair<std::string, Tree>> pending;
  git_tree* copy = nullptr;
  check(git_tree_dup(&copy, const_cast<git_tree*>(root)), "cannot read tree");
  pending.emplace_back("", Tree(copy));
  while (!pending.empty()) {
    auto [dir, tree] = std::move(pending.back());
    pending.pop_back();
    for (size_t i = 0; i < git_tree_entrycount(tree.get()); ++i) {
      const git_tree_entry* e = git_tree_entry_byindex(tree.get(), i);
      std::string path = dir.empty() ? git_tree_entry_name(e) : dir + "/" + git_tree_entry_name(e);
      git_filemode_t mode = git_tree_entry_filemode(e);
      if (mode == GIT_FILEMODE_TREE || mode == GIT_FILEMODE_COMMIT) {
        out.testpath_found = out.testpath_found || rules.is_testpath(path);
        if (mode == GIT_FILEMODE_COMMIT) {
          // A submodule's tests are out of reach: named where pytest would look for them.
          if (rules.enters(path, false)) out.skipped.push_back({path, "submodule"});
          continue;
        }
        git_tree* sub = nullptr;
        if (int rc = git_tree_lookup(&sub, repo, git_tree_entry_id(e)); rc < 0) {
          if (rules.enters(path, false))
            out.skipped.push_back(
                {path + "/", "unreadable", object_read_error(rc, *git_tree_entry_id(e))});
          continue;
        }
        Tree subtree(sub);
        if (rules.enters(path, is_venv(sub))) pending.emplace_back(path, std::move(subtree));
        continue;
      }
      out.testpath_found = out.testpath_found || rules.is_testpath(path);
      if (!rules.selects(path)) continue;
      if (mode == GIT_FILEMODE_LINK) {
        out.skipped.push_back({path, "symlink"});
        ++out.skipped_seen;
        continue;
      }
      out.candidates.push_back({path, *git_tree_entry_id(e)});
    }
  }
  return out;
}

}  // namespace

std::string read_blob(git_odb* odb, const git_oid& blob) {
  git_odb_object* raw = nullptr;
  if (int rc = git_odb_read(&raw, odb, &blob); rc < 0) throw Error(object_read_error(rc, blob));
  OdbObject obj(raw);
  const char* data = static_cast<const char*>(git_odb_object_data(raw));
  return std::string(data, git_odb_object_size(raw));
}

std::uint64_t blob_size(git_odb* odb, const git_oid& blob) {
  size_t size = 0;
  git_object_t type{};
  if (int rc = git_odb_read_header(&size, &type, odb, &blob); rc < 0)
    throw Error(object_read_error(rc, blob));
  return size;
}

TreeListing list_tree(git_odb* odb, const git_tree* root, const ScanConfig& config) {
  std::optional<PytestConfig> pytest = read_pytest_config(odb, root);
  CollectionRules rules(config, pytest);
  TreeListing out =
      walk_with_testpaths(rules, [&](const CollectionRules& r) { return list_with(root, r); });
  out.pytest = std::move(pytest);
  out.names = rules.names();
  return out;
}

}  // namespace flakegrab::git
