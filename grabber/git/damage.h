#pragma once
// Saying what is wrong with a repository whose objects cannot be read: which object, and whether
// it is missing (an incomplete copy) or present but unreadable (a damaged one), instead of
// libgit2's "object not found - cannot read header".
#include <git2.h>

#include <optional>
#include <string>
#include <string_view>

namespace flakegrab::git {

// After a libgit2 call reading `oid` returned rc < 0: "object SHA missing" or "object SHA is
// corrupt (<libgit2's message>)".
std::string object_read_error(int rc, const git_oid& oid);

// The same as a sentence about the repository shown as `display`: "the repository at D is
// incomplete: object SHA missing" or "the repository at D is damaged: object SHA is corrupt (...)".
std::string repository_object_error(std::string_view display, int rc, const git_oid& oid);

// A fetch from the repository at `source_url` failed with libgit2's `message`: when that says an
// object is missing, or the source is a local (file://) repository with an unreadable object,
// the sentence above naming it; nullopt when the failure is not about the source's objects.
// Checking a local source reads each of its objects once, so it is done only after a failure.
std::optional<std::string> describe_source_damage(std::string_view display,
                                                  std::string_view source_url,
                                                  std::string_view message);

}  // namespace flakegrab::git
