#include "grabber/git/damage.h"

#include <regex>
#include <vector>

#include "grabber/git/handles.h"

namespace flakegrab::git {

std::string object_read_error(int rc, const git_oid& oid) {
  if (rc == GIT_ENOTFOUND) return "object " + oid_hex(oid) + " missing";
  return "object " + oid_hex(oid) + " is corrupt (" + last_error_message() + ")";
}

namespace {

bool is_missing(int rc) {
  return rc == GIT_ENOTFOUND;
}

std::string sentence(std::string_view display, bool missing, std::string_view object_error) {
  return "the repository at " + std::string(display) +
         (missing ? " is incomplete: " : " is damaged: ") + std::string(object_error);
}

// What is wrong with the first object of a local repository that cannot be read.
std::optional<std::string> first_unreadable_object(std::string_view display,
                                                   const std::string& path) {
  git_repository* raw_repo = nullptr;
  if (git_repository_open_ext(&raw_repo, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) < 0)
    return std::nullopt;
  Repository repo(raw_repo);
  git_odb* raw_odb = nullptr;
  if (git_repository_odb(&raw_odb, repo.get()) < 0) return std::nullopt;
  Odb odb(raw_odb);
  std::vector<git_oid> ids;
  git_odb_foreach(
      odb.get(),
      [](const git_oid* id, void* payload) {
        static_cast<std::vector<git_oid>*>(payload)->push_back(*id);
        return 0;
      },
      &ids);
  for (const auto& id : ids) {
    git_odb_object* obj = nullptr;
    int rc = git_odb_read(&obj, odb.get(), &id);
    if (rc < 0) return sentence(display, is_missing(rc), object_read_error(rc, id));
    git_odb_object_free(obj);
  }
  return std::nullopt;
}

}  // namespace

std::string repository_object_error(std::string_view display, int rc, const git_oid& oid) {
  return sentence(display, is_missing(rc), object_read_error(rc, oid));
}

std::optional<std::string> describe_source_damage(std::string_view display,
                                                  std::string_view source_url,
                                                  std::string_view message) {
  // libgit2 names the object it could not find in parentheses: "object not found - no match for
  // id (SHA)", "object not found - cannot read header for (SHA)".
  static const std::regex missing(R"(object not found - [^(]*\(([0-9a-f]{40,64})\))");
  std::match_results<std::string_view::const_iterator> m;
  if (std::regex_search(message.begin(), message.end(), m, missing))
    return sentence(display, true, "object " + m[1].str() + " missing");
  constexpr std::string_view kFile = "file://";
  if (!source_url.starts_with(kFile)) return std::nullopt;
  return first_unreadable_object(display, std::string(source_url.substr(kFile.size())));
}

}  // namespace flakegrab::git
