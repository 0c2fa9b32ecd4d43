#pragma once
// pytest's collection rules for one scan root, the one rule directory scans and git scans both
// apply: which directories are entered (testpaths, norecursedirs, virtualenvs), which files are
// test files (python_files, conftest.py, files named by testpaths), and which classes and
// functions are tests (python_classes, python_functions). ScanConfig's python_files and
// all_files override the repository's config, as they always have.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grabber/grabber.h"

namespace flakegrab {

// pytest's default norecursedirs.
const std::vector<std::string>& default_norecursedirs();

// pytest's fnmatch_ex: a pattern with a '/' is matched against the whole path (as a suffix
// after a '/'), other patterns against the last component. `*` crosses '/' (Python fnmatch).
bool pytest_fnmatch(std::string_view pattern, std::string_view rel_path);

class CollectionRules {
 public:
  CollectionRules(const ScanConfig& config, const std::optional<PytestConfig>& pytest);

  // Whether pytest would descend into directory `dir` ('/'-separated, relative to the root).
  // `venv`: it holds a pyvenv.cfg or conda-meta/history (pytest skips virtualenvs).
  // Ancestors of a testpaths entry are always entered; norecursedirs applies below it.
  bool enters(std::string_view dir, bool venv) const;
  // Whether `file` is scanned: a test file (python_files, conftest.py; every .py with
  // all_files), or a .py that a testpaths entry names, inside the testpaths.
  bool selects(std::string_view file) const;
  // Whether `path` is itself a testpaths entry (a walk that meets none falls back to the
  // whole root, as pytest does when no testpaths entry exists).
  bool is_testpath(std::string_view path) const;
  bool has_testpaths() const { return !testpaths_.empty(); }
  // The same rules with testpaths ignored.
  CollectionRules without_testpaths() const;

  const TestNames& names() const { return names_; }

 private:
  enum class Where { outside, ancestor, inside, itself };
  Where place(std::string_view path) const;

  std::vector<std::string> python_files_;  // empty: pytest's defaults
  bool all_files_ = false;
  std::vector<std::string> norecursedirs_;
  std::vector<std::string> testpaths_;  // normalised, relative, no "." or ".."
  TestNames names_;
};

// Lists a tree under `rules`, then again without testpaths when no testpaths entry was met.
// `walk(rules)` returns a listing with a `bool testpath_found`.
template <typename Walk>
auto walk_with_testpaths(const CollectionRules& rules, Walk walk) {
  auto listing = walk(rules);
  if (rules.has_testpaths() && !listing.testpath_found) listing = walk(rules.without_testpaths());
  return listing;
}

}  // namespace flakegrab
