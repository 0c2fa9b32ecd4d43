#include "support/git_repo_builder.h"

#include <git2.h>

#include <stdexcept>
#include <vector>

namespace flakegrab::test {

namespace {

void ok(int rc, const std::string& what) {
  if (rc < 0) {
    const git_error* e = git_error_last();
    throw std::runtime_error(what + ": " + (e && e->message ? e->message : "libgit2 error"));
  }
}

git_oid parse_oid(const std::string& hex) {
  git_oid oid;
  ok(git_oid_fromstr(&oid, hex.c_str()), "bad oid " + hex);
  return oid;
}

std::string hex_of(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return buf;
}

// Writes the tree for every entry under `prefix` (a directory path ending in '/', or "").
template <typename Files>
git_oid write_tree(git_repository* repo, const Files& files, const std::string& prefix) {
  git_treebuilder* tb = nullptr;
  ok(git_treebuilder_new(&tb, repo, nullptr), "treebuilder");
  auto it = files.lower_bound(prefix);
  while (it != files.end() && it->first.compare(0, prefix.size(), prefix) == 0) {
    std::string rest = it->first.substr(prefix.size());
    auto slash = rest.find('/');
    if (slash == std::string::npos) {
      git_oid oid = parse_oid(it->second.oid);
      ok(git_treebuilder_insert(nullptr, tb, rest.c_str(), &oid,
                                static_cast<git_filemode_t>(it->second.mode)),
         "insert " + it->first);
      ++it;
      continue;
    }
    std::string dir = rest.substr(0, slash);
    std::string sub = prefix + dir + "/";
    git_oid oid = write_tree(repo, files, sub);
    ok(git_treebuilder_insert(nullptr, tb, dir.c_str(), &oid, GIT_FILEMODE_TREE), "insert " + sub);
    // Skip everything inside that directory.
    std::string after = prefix + dir + "0";  // '0' sorts right after '/'
    it = files.lower_bound(after);
  }
  git_oid out;
  ok(git_treebuilder_write(&out, tb), "write tree");
  git_treebuilder_free(tb);
  return out;
}

}  // namespace

GitRepoBuilder::GitRepoBuilder(const std::filesystem::path& dir, bool bare) : dir_(dir) {
  git_libgit2_init();
  git_repository_init_options opts;
  git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
  opts.flags = GIT_REPOSITORY_INIT_MKPATH;
  if (bare) opts.flags |= GIT_REPOSITORY_INIT_BARE;
  opts.initial_head = "main";
  ok(git_repository_init_ext(&repo_, dir.c_str(), &opts), "init " + dir.string());
}

GitRepoBuilder::~GitRepoBuilder() {
  git_repository_free(repo_);
  git_libgit2_shutdown();
}

void GitRepoBuilder::branch_from(const std::string& branch, const std::string& from) {
  pending_[branch] = pending_[from];
  committed_[branch] = committed_[from];
  git_reference* from_ref = nullptr;
  ok(git_reference_lookup(&from_ref, repo_, ("refs/heads/" + from).c_str()), "lookup " + from);
  git_reference* out = nullptr;
  ok(git_reference_create(&out, repo_, ("refs/heads/" + branch).c_str(),
                          git_reference_target(from_ref), 1, "branch"),
     "branch " + branch);
  git_reference_free(out);
  git_reference_free(from_ref);
}

void GitRepoBuilder::write(const std::string& branch, const std::string& path,
                           std::string_view contents) {
  git_oid oid;
  ok(git_blob_create_from_buffer(&oid, repo_, contents.data(), contents.size()), "blob " + path);
  pending_[branch][path] = {GIT_FILEMODE_BLOB, hex_of(oid)};
}

void GitRepoBuilder::remove(const std::string& branch, const std::string& path) {
  if (pending_[branch].erase(path) == 0) throw std::runtime_error("no file " + path);
}

void GitRepoBuilder::rename(const std::string& branch, const std::string& from,
                            const std::string& to) {
  auto& files = pending_[branch];
  auto it = files.find(from);
  if (it == files.end()) throw std::runtime_error("no file " + from);
  files[to] = it->second;
  files.erase(from);
}

void GitRepoBuilder::symlink(const std::string& branch, const std::string& path,
                             const std::string& target) {
  git_oid oid;
  ok(git_blob_create_from_buffer(&oid, repo_, target.data(), target.size()), "link " + path);
  pending_[branch][path] = {GIT_FILEMODE_LINK, hex_of(oid)};
}

void GitRepoBuilder::submodule(const std::string& branch, const std::string& path,
                               const std::string& sha) {
  pending_[branch][path] = {GIT_FILEMODE_COMMIT, sha};
}

std::string GitRepoBuilder::commit(const std::string& branch, const std::string& message,
                                   long long when) {
  git_oid tree_oid = write_tree(repo_, pending_[branch], "");
  git_tree* tree = nullptr;
  ok(git_tree_lookup(&tree, repo_, &tree_oid), "tree");
  git_signature* sig = nullptr;
  ok(git_signature_new(&sig, "Test", "test@example.com", when, 0), "signature");
  std::string ref = "refs/heads/" + branch;
  git_commit* parent = nullptr;
  git_oid parent_oid;
  if (git_reference_name_to_id(&parent_oid, repo_, ref.c_str()) == 0) {
    ok(git_commit_lookup(&parent, repo_, &parent_oid), "parent");
  }
  const git_commit* parents[] = {parent};
  git_oid commit_oid;
  ok(git_commit_create(&commit_oid, repo_, ref.c_str(), sig, sig, nullptr, message.c_str(), tree,
                       parent ? 1 : 0, parents),
     "commit on " + branch);
  git_commit_free(parent);
  git_signature_free(sig);
  git_tree_free(tree);
  committed_[branch] = pending_[branch];
  return hex_of(commit_oid);
}

void GitRepoBuilder::tag(const std::string& name, const std::string& target_sha) {
  git_oid oid = parse_oid(target_sha);
  git_object* target = nullptr;
  ok(git_object_lookup(&target, repo_, &oid, GIT_OBJECT_COMMIT), "tag target");
  git_signature* sig = nullptr;
  ok(git_signature_new(&sig, "Test", "test@example.com", 1700000000, 0), "signature");
  git_oid tag_oid;
  ok(git_tag_create(&tag_oid, repo_, name.c_str(), target, sig, "release", 1), "tag " + name);
  git_signature_free(sig);
  git_object_free(target);
}

void GitRepoBuilder::delete_branch(const std::string& branch) {
  git_reference* ref = nullptr;
  ok(git_reference_lookup(&ref, repo_, ("refs/heads/" + branch).c_str()), "lookup " + branch);
  ok(git_reference_delete(ref), "delete " + branch);
  git_reference_free(ref);
  pending_.erase(branch);
  committed_.erase(branch);
}

}  // namespace flakegrab::test
