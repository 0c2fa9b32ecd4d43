#include "grabber/collection_rules.h"

#include <fnmatch.h>

#include <algorithm>

namespace flakegrab {

namespace {

bool fnmatch_python(const std::string& pattern, const std::string& name) {
  // Python's fnmatch: no escapes, '*' matches '/' and a leading '.'.
  return ::fnmatch(pattern.c_str(), name.c_str(), FNM_NOESCAPE) == 0;
}

bool looks_like_glob(std::string_view s) {
  return s.find_first_of("*?[") != std::string_view::npos;
}

// pytest's _matches_prefix_or_glob_option.
bool prefix_or_glob(const std::vector<std::string>& options, std::string_view name) {
  std::string n(name);
  for (const auto& o : options) {
    if (name.starts_with(o)) return true;
    if (looks_like_glob(o) && fnmatch_python(o, n)) return true;
  }
  return false;
}

std::vector<std::string_view> components(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    auto slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    if (!part.empty()) out.push_back(part);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

// "./tests//unit/" -> "tests/unit"; nullopt for what cannot be below the root.
std::optional<std::string> normalise_testpath(std::string_view p) {
  if (p.starts_with("/")) return std::nullopt;
  std::string out;
  for (auto part : components(p)) {
    if (part == ".") continue;
    if (part == "..") return std::nullopt;
    if (!out.empty()) out += '/';
    out.append(part);
  }
  return out;
}

enum class Match { outside, ancestor, inside, itself };

// Python's glob.glob(pattern, recursive=True) over one path: '*' stays within a component and
// skips hidden names, '**' spans any number of non-hidden components.
Match glob_match(const std::vector<std::string>& pat, std::size_t i,
                 const std::vector<std::string_view>& path, std::size_t j) {
  if (i == pat.size()) return j == path.size() ? Match::itself : Match::inside;
  if (j == path.size()) return Match::ancestor;
  if (pat[i] == "**") {
    Match best = glob_match(pat, i + 1, path, j);
    if (!path[j].starts_with(".")) best = std::max(best, glob_match(pat, i, path, j + 1));
    return best;
  }
  std::string name(path[j]);
  if (::fnmatch(pat[i].c_str(), name.c_str(), FNM_NOESCAPE | FNM_PERIOD) != 0)
    return Match::outside;
  return glob_match(pat, i + 1, path, j + 1);
}

std::string base_name(std::string_view path) {
  auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

}  // namespace

const std::vector<std::string>& default_norecursedirs() {
  static const std::vector<std::string> dirs{"*.egg", ".*",           "_darcs", "build", "CVS",
                                             "dist",  "node_modules", "venv",   "{arch}"};
  return dirs;
}

bool pytest_fnmatch(std::string_view pattern, std::string_view rel_path) {
  if (pattern.find('/') == std::string_view::npos)
    return fnmatch_python(std::string(pattern), base_name(rel_path));
  return fnmatch_python("*/" + std::string(pattern), "/" + std::string(rel_path));
}

bool is_test_file(std::string_view rel_path, const std::vector<std::string>& python_files) {
  // conftest.py holds fixtures and pytestmark for its directory, whatever python_files says.
  if (base_name(rel_path) == "conftest.py") return true;
  static const std::vector<std::string> defaults{"test_*.py", "*_test.py"};
  const auto& globs = python_files.empty() ? defaults : python_files;
  return std::any_of(globs.begin(), globs.end(),
                     [&](const std::string& g) { return pytest_fnmatch(g, rel_path); });
}

bool TestNames::is_test_class(std::string_view name) const {
  return prefix_or_glob(classes, name);
}

bool TestNames::is_test_function(std::string_view name) const {
  return prefix_or_glob(functions, name);
}

bool TestNames::is_default() const {
  return fingerprint() == TestNames{}.fingerprint();
}

std::string TestNames::fingerprint() const {
  std::string out = "classes";
  for (const auto& c : classes) out += "\x1f" + c;
  out +=
      "\x1e"
      "functions";
  for (const auto& f : functions) out += "\x1f" + f;
  return out;
}

CollectionRules::CollectionRules(const ScanConfig& config,
                                 const std::optional<PytestConfig>& pytest)
    : all_files_(config.all_files), norecursedirs_(default_norecursedirs()) {
  python_files_ = config.python_files;
  if (python_files_.empty() && pytest && pytest->python_files)
    python_files_ = *pytest->python_files;
  if (!pytest) return;
  if (pytest->norecursedirs) norecursedirs_ = *pytest->norecursedirs;
  if (pytest->python_classes) names_.classes = *pytest->python_classes;
  if (pytest->python_functions) names_.functions = *pytest->python_functions;
  for (const auto& t : pytest->testpaths.value_or(std::vector<std::string>{})) {
    auto norm = normalise_testpath(t);
    if (!norm) continue;
    if (norm->empty()) {  // "." is the whole root: no restriction
      testpaths_.clear();
      break;
    }
    testpaths_.push_back(*norm);
  }
}

CollectionRules::Where CollectionRules::place(std::string_view path) const {
  auto parts = components(path);
  Match best = Match::outside;
  for (const auto& t : testpaths_) {
    std::vector<std::string> pat;
    for (auto p : components(t)) pat.emplace_back(p);
    best = std::max(best, glob_match(pat, 0, parts, 0));
  }
  switch (best) {
    case Match::itself:
      return Where::itself;
    case Match::inside:
      return Where::inside;
    case Match::ancestor:
      return Where::ancestor;
    case Match::outside:
      break;
  }
  return Where::outside;
}

bool CollectionRules::enters(std::string_view dir, bool venv) const {
  std::string name = base_name(dir);
  // Never a test directory: bytecode caches, and git's own (a git tree cannot hold one).
  if (name == "__pycache__" || name == ".git") return false;
  if (!testpaths_.empty()) {
    Where w = place(dir);
    if (w == Where::itself || w == Where::ancestor) return true;
    if (w == Where::outside) return false;
  }
  if (venv) return false;
  return std::none_of(norecursedirs_.begin(), norecursedirs_.end(),
                      [&](const std::string& p) { return pytest_fnmatch(p, dir); });
}

bool CollectionRules::selects(std::string_view file) const {
  if (!file.ends_with(".py")) return false;
  if (!testpaths_.empty()) {
    Where w = place(file);
    if (w == Where::itself) return true;  // named on its own: collected whatever its name
    if (w != Where::inside) return false;
  }
  return all_files_ || is_test_file(file, python_files_);
}

bool CollectionRules::is_testpath(std::string_view path) const {
  return !testpaths_.empty() && place(path) == Where::itself;
}

CollectionRules CollectionRules::without_testpaths() const {
  CollectionRules copy = *this;
  copy.testpaths_.clear();
  return copy;
}

}  // namespace flakegrab
