#pragma once
// Builds real git repositories with libgit2 for tests: files, symlinks and submodule entries
// committed on branches, plus tags. Nothing is checked out; the object database is the truth.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

struct git_repository;

namespace flakegrab::test {

class GitRepoBuilder {
 public:
  explicit GitRepoBuilder(const std::filesystem::path& dir, bool bare = false);
  ~GitRepoBuilder();
  GitRepoBuilder(const GitRepoBuilder&) = delete;
  GitRepoBuilder& operator=(const GitRepoBuilder&) = delete;

  // Staged changes go to a branch's pending tree; commit() records them on that branch.
  void branch_from(const std::string& branch, const std::string& from);
  void write(const std::string& branch, const std::string& path, std::string_view contents);
  void remove(const std::string& branch, const std::string& path);
  void rename(const std::string& branch, const std::string& from, const std::string& to);
  void symlink(const std::string& branch, const std::string& path, const std::string& target);
  void submodule(const std::string& branch, const std::string& path, const std::string& sha);
  // `when`: author and committer time, seconds since the epoch.
  std::string commit(const std::string& branch, const std::string& message = "change",
                     long long when = 1700000000);
  void tag(const std::string& name, const std::string& target_sha);
  void delete_branch(const std::string& branch);

  const std::filesystem::path& path() const { return dir_; }
  git_repository* repo() const { return repo_; }

 private:
  struct Entry {
    unsigned mode = 0;  // git_filemode_t
    std::string oid;    // hex
  };
  using Files = std::map<std::string, Entry>;
  std::filesystem::path dir_;
  git_repository* repo_ = nullptr;
  std::map<std::string, Files> pending_;
  std::map<std::string, Files> committed_;
};

}  // namespace flakegrab::test
