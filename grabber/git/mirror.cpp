#include "grabber/git/mirror.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>

#include "base/byte_units.h"
#include "grabber/git/credentials.h"
#include "grabber/git/damage.h"
#include "grabber/git/lock.h"

namespace flakegrab::git {

namespace fs = std::filesystem;

namespace {

constexpr const char* kHeadsSpec = "+refs/heads/*:refs/heads/*";
constexpr const char* kTagsSpec = "+refs/tags/*:refs/tags/*";

enum class FetchOutcome { ok, transient, permanent };

struct FetchError {
  FetchOutcome outcome;
  std::string message;
  bool whole = false;  // a complete sentence about the source: printed without "cannot fetch"
};

bool is_transient(int rc, const git_error* e) {
  if (rc == GIT_EAUTH || rc == GIT_ENOTFOUND || rc == GIT_EUSER) return false;
  if (e == nullptr) return true;
  switch (e->klass) {
    case GIT_ERROR_NET:
    case GIT_ERROR_OS:
    case GIT_ERROR_SSL:
    case GIT_ERROR_ZLIB:
    case GIT_ERROR_INDEXER:  // a pack cut short by a dying server
      break;
    case GIT_ERROR_HTTP: {
      std::string_view m = e->message ? e->message : "";
      // 401/403/404 are answers, not faults.
      if (m.find("401") != std::string_view::npos || m.find("403") != std::string_view::npos ||
          m.find("404") != std::string_view::npos || m.find("auth") != std::string_view::npos)
        return false;
      break;
    }
    default:
      return false;
  }
  return true;
}

// What the fetch callbacks need: libgit2 hands them one payload pointer.
struct FetchState {
  CredentialState creds;
  ProgressSink* progress = nullptr;
  const RepoLocation* location = nullptr;
  FetchProgress last;
};

int fetch_credentials(git_credential** out, const char* url, const char* username_from_url,
                      unsigned int allowed_types, void* payload) {
  return credential_callback(out, url, username_from_url, allowed_types,
                             &static_cast<FetchState*>(payload)->creds);
}

int fetch_progress(const git_indexer_progress* stats, void* payload) {
  auto* state = static_cast<FetchState*>(payload);
  state->last = {stats->received_objects, stats->indexed_objects, stats->total_objects,
                 stats->received_bytes};
  if (state->progress) state->progress->fetching(state->location->display, state->last);
  return 0;
}

std::optional<FetchError> fetch_once(git_repository* repo, const RepoLocation& loc,
                                     const AuthPolicy& auth, ProgressSink* progress) {
  git_remote* raw = nullptr;
  if (git_remote_lookup(&raw, repo, "origin") < 0) {
    return FetchError{FetchOutcome::permanent, "mirror has no origin remote"};
  }
  Remote remote(raw);
  FetchState state;
  state.progress = progress;
  state.location = &loc;
  CredentialState& creds = state.creds;
  creds.url_username = loc.username;
  creds.url_password = loc.password;
  creds.policy = auth;
  creds.origin = url_origin(loc.url);
  git_fetch_options opts;
  git_fetch_options_init(&opts, GIT_FETCH_OPTIONS_VERSION);
  opts.callbacks.credentials = fetch_credentials;
  opts.callbacks.transfer_progress = fetch_progress;
  opts.callbacks.payload = &state;
  opts.prune = GIT_FETCH_PRUNE;
  opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;  // the tags refspec brings them all
  int rc = git_remote_fetch(remote.get(), nullptr, &opts, "flakegrab fetch");
  if (rc == 0) {
    // The mirror's HEAD follows the remote's default branch, so `REPO HEAD` means what it
    // means to a clone. The advertised refs outlive the connection.
    git_buf head = GIT_BUF_INIT;
    if (git_remote_default_branch(&head, remote.get()) == 0)
      git_repository_set_head(repo, head.ptr);
    git_buf_dispose(&head);
    if (progress)
      progress->finished("fetched " + loc.display + ": " +
                         std::to_string(state.last.received_objects) + " objects, " +
                         mebibytes(static_cast<double>(state.last.received_bytes)));
    return std::nullopt;
  }
  if (creds.rejected || rc == GIT_EAUTH) {
    return FetchError{FetchOutcome::permanent,
                      "authentication failed" + (creds.withheld ? ": " + *creds.withheld : "")};
  }
  const git_error* e = git_error_last();
  FetchOutcome outcome = is_transient(rc, e) ? FetchOutcome::transient : FetchOutcome::permanent;
  std::string message = last_error_message();
  // A source without an object it refers to stays that way: say which, and do not retry.
  if (auto damage = describe_source_damage(loc.display, loc.url, message))
    return FetchError{FetchOutcome::permanent, *damage, true};
  return FetchError{outcome, message};
}

void fetch_with_retries(git_repository* repo, const RepoLocation& loc, int retries,
                        const AuthPolicy& auth, ProgressSink* progress) {
  auto delay = std::chrono::milliseconds(250);
  for (int attempt = 0;; ++attempt) {
    auto err = fetch_once(repo, loc, auth, progress);
    if (!err) return;
    if (err->outcome == FetchOutcome::permanent || attempt >= retries) {
      if (err->whole) throw Error(err->message);
      throw Error("cannot fetch " + loc.display + ": " + err->message +
                  (attempt > 0 ? " (after " + std::to_string(attempt + 1) + " attempts)" : ""));
    }
    std::this_thread::sleep_for(delay);
    delay *= 2;
  }
}

Repository init_mirror(const fs::path& dir, const RepoLocation& loc) {
  git_repository* raw = nullptr;
  check(git_repository_init(&raw, dir.c_str(), 1), "cannot create mirror for " + loc.display);
  Repository repo(raw);
  git_remote* remote = nullptr;
  // Only the redacted URL is ever written to the mirror's config.
  check(
      git_remote_create_with_fetchspec(&remote, repo.get(), "origin", loc.url.c_str(), kHeadsSpec),
      "cannot configure mirror for " + loc.display);
  Remote owned(remote);
  check(git_remote_add_fetch(repo.get(), "origin", kTagsSpec),
        "cannot configure mirror for " + loc.display);
  return repo;
}

Repository open_mirror(const fs::path& dir, const RepoLocation& loc) {
  git_repository* raw = nullptr;
  if (git_repository_open_bare(&raw, dir.c_str()) < 0) return nullptr;
  Repository repo(raw);
  git_remote* remote = nullptr;
  if (git_remote_lookup(&remote, repo.get(), "origin") < 0) return nullptr;
  Remote owned(remote);
  if (std::string_view(git_remote_url(remote)) != loc.url) {
    check(git_remote_set_url(repo.get(), "origin", loc.url.c_str()),
          "cannot update mirror for " + loc.display);
  }
  return repo;
}

}  // namespace

Repository open_repository(const RepoLocation& loc, const fs::path& cache_dir, int retries,
                           const AuthPolicy& auth, ProgressSink* progress) {
  static const Library library;
  if (!loc.remote) {
    git_repository* raw = nullptr;
    if (git_repository_open_ext(&raw, loc.url.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) < 0)
      throw Error("cannot open repository " + loc.display + ": " + last_error_message());
    return Repository(raw);
  }
  fs::path mirrors = cache_dir / "mirrors";
  std::error_code ec;
  fs::create_directories(mirrors, ec);
  if (ec) throw Error("cannot create cache directory " + mirrors.string());
  std::string name = mirror_name(loc.display);
  fs::path dir = mirrors / name;
  FileLock lock(mirrors / (name + ".lock"));

  if (fs::exists(dir / "HEAD", ec) || fs::exists(dir / "config", ec)) {
    Repository repo = open_mirror(dir, loc);
    if (repo) {
      fetch_with_retries(repo.get(), loc, retries, auth, progress);
      return repo;
    }
    fs::remove_all(dir, ec);  // unreadable mirror: rebuild it rather than trust it
  }
  fs::path tmp = mirrors / (name + ".tmp-" + std::to_string(::getpid()));
  fs::remove_all(tmp, ec);
  try {
    Repository repo = init_mirror(tmp, loc);
    fetch_with_retries(repo.get(), loc, retries, auth, progress);
    repo.reset();
    fs::rename(tmp, dir);
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
  Repository repo = open_mirror(dir, loc);
  if (!repo) throw Error("cannot open mirror of " + loc.display);
  return repo;
}

}  // namespace flakegrab::git
