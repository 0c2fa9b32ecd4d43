#pragma once
// Which files of a commit's tree are scan candidates, read from the object database only.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "grabber/git/handles.h"
#include "grabber/grabber.h"

namespace flakegrab::git {

struct CandidateBlob {
  std::string path;  // '/'-separated, relative to the tree root
  git_oid blob{};    // its size is asked only when it must be read (blob_size)
};

struct TreeListing {
  std::vector<CandidateBlob> candidates;
  // Submodules pytest would enter, symlinks among would-be tests, subtrees that cannot be read.
  std::vector<SkippedFile> skipped;
  std::uint64_t skipped_seen = 0;  // symlinks: counted in files_seen, as directory scans do
  std::optional<PytestConfig> pytest;
  TestNames names;  // the repository's python_classes / python_functions
  bool testpath_found = false;
};

// Reads the pytest config at the root (find_pytest_config), then lists the files that
// CollectionRules (grabber/collection_rules.h) selects, exactly as a directory scan of a
// checkout of the same tree does.
TreeListing list_tree(git_odb* odb, const git_tree* root, const ScanConfig& config);

// LFS pointers, binaries and oversized blobs are left to scan_jobs' file checks.
// The bytes of one blob; throws Error saying whether the object is missing or corrupt
// (object_read_error).
std::string read_blob(git_odb* odb, const git_oid& blob);

// The size of one blob from its object header, without inflating it; throws like read_blob.
std::uint64_t blob_size(git_odb* odb, const git_oid& blob);

}  // namespace flakegrab::git
