#pragma once
// RAII owners for libgit2 handles, and the one place libgit2 errors become flakegrab::Error.
#include <git2.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/error.h"

namespace flakegrab::git {

// Keeps libgit2 initialised for as long as any holder lives (counted by libgit2 itself).
class Library {
 public:
  Library() {
    git_libgit2_init();
    // Objects are not re-hashed on every read, as git itself does not: a mirror's packs were
    // hash-checked by the indexer when fetched, and zlib's checksum still catches damage.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  }
  ~Library() { git_libgit2_shutdown(); }
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;
};

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};

using Repository = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;
using Remote = std::unique_ptr<git_remote, Deleter<git_remote, git_remote_free>>;
using Commit = std::unique_ptr<git_commit, Deleter<git_commit, git_commit_free>>;
using Tree = std::unique_ptr<git_tree, Deleter<git_tree, git_tree_free>>;
using Blob = std::unique_ptr<git_blob, Deleter<git_blob, git_blob_free>>;
using Object = std::unique_ptr<git_object, Deleter<git_object, git_object_free>>;
using Reference = std::unique_ptr<git_reference, Deleter<git_reference, git_reference_free>>;
using ReferenceIterator =
    std::unique_ptr<git_reference_iterator,
                    Deleter<git_reference_iterator, git_reference_iterator_free>>;
using Odb = std::unique_ptr<git_odb, Deleter<git_odb, git_odb_free>>;
using OdbObject = std::unique_ptr<git_odb_object, Deleter<git_odb_object, git_odb_object_free>>;

// libgit2's last error message for the calling thread, with any URL userinfo removed.
std::string last_error_message();

// Throws Error("<what>: <libgit2 message>") when rc < 0.
void check(int rc, std::string_view what);

std::string oid_hex(const git_oid& oid);

// The id git gives `bytes` as a blob (hex), as `git hash-object` would: a file of a working
// directory is then keyed in the scan cache as the same file committed. Needs a live Library.
std::string blob_id_hex(std::string_view bytes);

}  // namespace flakegrab::git
