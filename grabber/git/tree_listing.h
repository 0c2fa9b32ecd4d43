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
  std::vector<SkippedFile> skipped;  // submodules, and symlinks among would-be tests
  std::optional<PytestConfig> pytest;
};

// Reads the pytest config from the root's pytest.ini / pyproject.toml / tox.ini / setup.cfg
// (pytest's precedence), then selects test files by config.python_files, else the repo's
// python_files, else pytest's defaults (all *.py with config.all_files).
TreeListing list_tree(git_odb* odb, const git_tree* root, const ScanConfig& config);

// LFS pointers, binaries and oversized blobs are left to scan_jobs' file checks.
// The bytes of one blob; throws Error naming `path` when it cannot be read.
std::string read_blob(git_odb* odb, const git_oid& blob, const std::string& path);

// The size of one blob from its object header, without inflating it; throws like read_blob.
std::uint64_t blob_size(git_odb* odb, const git_oid& blob, const std::string& path);

}  // namespace flakegrab::git
