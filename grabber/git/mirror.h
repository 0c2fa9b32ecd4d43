#pragma once
// Opening a repository for scanning: local paths in place, remotes as bare mirrors in the cache.
#include <filesystem>

#include "grabber/auth_policy.h"
#include "grabber/git/handles.h"
#include "grabber/git/url.h"
#include "grabber/progress.h"

namespace flakegrab::git {

// Local: opens the repository (worktree or bare) without touching it. Remote: creates or
// fetches the bare mirror <cache_dir>/mirrors/<name>.git under an flock, retrying transient
// network errors `retries` times with exponential backoff. A first clone is built in a temp
// directory and renamed into place only when complete, so a dead server leaves no half mirror.
// Credentials follow `auth`: none over plain http unless allowed, none to another origin.
// `progress` (when not null) hears libgit2's transfer progress and one line per fetch.
Repository open_repository(const RepoLocation& location, const std::filesystem::path& cache_dir,
                           int retries, const AuthPolicy& auth = {},
                           ProgressSink* progress = nullptr);

}  // namespace flakegrab::git
