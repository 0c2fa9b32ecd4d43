// Issue 16's "one rule": a git scan of a commit and a directory scan of its checkout select
// the same files, count them the same way and report the same markers, under pytest's
// collection rules (norecursedirs, testpaths, python_files/classes/functions, virtualenvs,
// symlinks) and its config-file precedence.
#include <git2.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "grabber/repo.h"
#include "grabber/scan_pipeline.h"
#include "support/git_repo_builder.h"
#include "support/process.h"

namespace flakegrab {
namespace {

namespace fs = std::filesystem;
using test::GitRepoBuilder;
using test::TempDir;

// A file whose one marked test is named after the file, so the markers say what was scanned.
std::string test_file(const std::string& name) {
  return "import pytest\n\n@pytest.mark.skip(reason=\"" + name + "\")\ndef test_" + name +
         "():\n    pass\n";
}

// What the checks below are about, in one tree.
const std::map<std::string, std::string>& base_tree() {
  static const std::map<std::string, std::string> files{
      {"tests/test_top.py", test_file("top")},
      {"tests/unit/test_unit.py", test_file("unit")},
      {"tests/unit/check_style.py", test_file("check")},
      {"tests/__pycache__/test_cached.py", test_file("cached")},
      {"tests/helpers.py", test_file("helper")},
      {"tests/conftest.py",
       "import pytest\n\n@pytest.fixture\n@pytest.mark.skip\ndef db(): pass\n"},
      {"build/test_built.py", test_file("built")},
      {"dist/test_dist.py", test_file("dist")},
      {".tox/py3/test_tox.py", test_file("tox")},
      {"node_modules/pkg/test_node.py", test_file("node")},
      {"venv/test_venv.py", test_file("venv")},
      {"thing.egg/test_egg.py", test_file("egg")},
      {"CVS/test_cvs.py", test_file("cvs")},
      {"_darcs/test_darcs.py", test_file("darcs")},
      {"{arch}/test_arch.py", test_file("arch")},
      {"env/pyvenv.cfg", "home = /usr/bin\n"},
      {"env/lib/test_site.py", test_file("site")},
      {"conda/conda-meta/history", "==> 2024 <==\n"},
      {"conda/pkgs/test_conda.py", test_file("conda")},
      {"src/pkg/test_in_src.py", test_file("in_src")},
      {"test_root.py", test_file("root")},
      {"tests/test_names.py",
       "import pytest\nimport unittest\n\n"
       "class CheckThing:\n    @pytest.mark.skip\n    def check_one(self): pass\n"
       "    @pytest.mark.skip\n    def test_two(self): pass\n\n"
       "class TestThing:\n    @pytest.mark.xfail\n    def test_three(self): pass\n\n"
       "class TestOff:\n    __test__ = False\n    @pytest.mark.xfail\n    def test_off(self): "
       "pass\n\n"
       "class Case(unittest.TestCase):\n    @unittest.skip('u')\n    def test_case(self): pass\n"
       "    @unittest.skip('u')\n    def check_case(self): pass\n\n"
       "@pytest.mark.skip\ndef check_fn(): pass\n"},
  };
  return files;
}

struct Both {
  ScanResult dir;
  ScanResult git;
};

std::vector<std::string> ids(const ScanResult& r) {
  std::vector<std::string> out;
  for (const auto& m : r.markers) out.push_back(m.test_id + "@" + m.name);
  std::sort(out.begin(), out.end());
  return out;
}

void checkout(git_repository* repo, const std::string& sha, const fs::path& into) {
  git_oid oid;
  ASSERT_EQ(git_oid_fromstr(&oid, sha.c_str()), 0);
  git_commit* commit = nullptr;
  ASSERT_EQ(git_commit_lookup(&commit, repo, &oid), 0);
  git_checkout_options o = GIT_CHECKOUT_OPTIONS_INIT;
  o.checkout_strategy = GIT_CHECKOUT_FORCE;
  std::string target = into.string();
  o.target_directory = target.c_str();
  int rc = git_checkout_tree(repo, reinterpret_cast<git_object*>(commit), &o);
  git_commit_free(commit);
  ASSERT_EQ(rc, 0) << git_error_last()->message;
}

// Commits base_tree() plus `extra` (with a symlink), checks it out, scans both ways.
Both scan_both(const std::map<std::string, std::string>& extra,
               const ScanConfig& config = ScanConfig::defaults()) {
  TempDir dir;
  GitRepoBuilder b(dir / "repo");
  for (const auto& [path, text] : base_tree()) b.write("main", path, text);
  for (const auto& [path, text] : extra) b.write("main", path, text);
  b.symlink("main", "tests/test_link.py", "test_top.py");
  b.symlink("main", "tests/link_dir", "unit");
  std::string sha = b.commit("main");
  fs::path work = dir / "checkout";
  checkout(b.repo(), sha, work);
  EXPECT_TRUE(fs::is_symlink(work / "tests/test_link.py"));
  Both out;
  out.dir = scan_directory(work, config, 2);
  RepoScanOptions opts;
  opts.use_cache = false;
  opts.threads = 2;
  auto refs = scan_repository((dir / "repo").string(), {"main"}, config, opts);
  EXPECT_TRUE(refs.at(0).scan) << refs[0].error.value_or("");
  if (refs[0].scan) out.git = *refs[0].scan;
  return out;
}

void expect_same(const Both& s) {
  EXPECT_EQ(ids(s.dir), ids(s.git));
  EXPECT_EQ(s.dir.markers, s.git.markers);
  EXPECT_EQ(s.dir.stats.files_seen, s.git.stats.files_seen);
  EXPECT_EQ(s.dir.stats.files_parsed, s.git.stats.files_parsed);
  EXPECT_EQ(s.dir.stats.skipped, s.git.stats.skipped);
  EXPECT_EQ(s.dir.stats.registered_markers, s.git.stats.registered_markers);
}

TEST(OneCollectionRule, PytestDefaults) {
  Both s = scan_both({});
  expect_same(s);
  // Only tests/ and the root's test file: every default norecursedirs entry, __pycache__ and
  // both kinds of environment are left out; src/ is a directory like any other.
  EXPECT_EQ(ids(s.git),
            (std::vector<std::string>{
                "src/pkg/test_in_src.py::test_in_src@skip", "test_root.py::test_root@skip",
                "tests/conftest.py::db@skip", "tests/test_names.py::Case::test_case@skip",
                "tests/test_names.py::TestThing::test_three@xfail",
                "tests/test_top.py::test_top@skip", "tests/unit/test_unit.py::test_unit@skip"}));
  // Seen: the 6 scanned files plus the symlink, counted but not read.
  EXPECT_EQ(s.git.stats.files_seen, 7u);
  EXPECT_EQ(s.git.stats.skipped, (std::vector<SkippedFile>{{"tests/test_link.py", "symlink"}}));
}

TEST(OneCollectionRule, PytestIniOverridesEveryRule) {
  Both s = scan_both({{"pytest.ini",
                       "[pytest]\n"
                       "testpaths = tests build\n"
                       "norecursedirs = .* __pycache__ unit\n"
                       "python_files = test_*.py check_*.py\n"
                       "python_classes = Check Test\n"
                       "python_functions = check *_built\n"
                       "markers =\n    slow: slow\n"},
                      // Lower in pytest's precedence: never read while pytest.ini exists.
                      {"tox.ini", "[pytest]\ntestpaths = src\n"}});
  expect_same(s);
  EXPECT_EQ(ids(s.git),
            (std::vector<std::string>{
                "build/test_built.py::test_built@skip",  // a testpath, entered whatever its name
                "tests/conftest.py::db@skip",
                "tests/test_names.py::Case::test_case@skip",  // TestCase: unittest's prefix
                "tests/test_names.py::CheckThing::check_one@skip",
                "tests/test_names.py::check_fn@skip",
            }));
  EXPECT_EQ(s.git.stats.registered_markers, (std::vector<std::string>{"slow"}));
}

TEST(OneCollectionRule, TestpathsThatMatchNothingFallBackToTheRoot) {
  Both s = scan_both({{"pyproject.toml",
                       "[tool.pytest.ini_options]\ntestpaths = [\"no_such_dir\"]\n"
                       "norecursedirs = []\n"}});
  expect_same(s);
  auto got = ids(s.git);
  // norecursedirs emptied: build/, dist/, venv/ ... are entered; environments and caches not.
  for (const char* want :
       {"build/test_built.py::test_built@skip", "dist/test_dist.py::test_dist@skip",
        ".tox/py3/test_tox.py::test_tox@skip", "venv/test_venv.py::test_venv@skip",
        "test_root.py::test_root@skip"})
    EXPECT_NE(std::find(got.begin(), got.end(), want), got.end()) << want;
  for (const char* unwanted :
       {"env/lib/test_site.py::test_site@skip", "conda/pkgs/test_conda.py::test_conda@skip",
        "tests/__pycache__/test_cached.py::test_cached@skip"})
    EXPECT_EQ(std::find(got.begin(), got.end(), unwanted), got.end()) << unwanted;
}

TEST(OneCollectionRule, TestpathGlobsAndFiles) {
  Both s = scan_both({{"pytest.toml",
                       "[pytest]\ntestpaths = [\"tests/u*\", \"src/pkg/test_in_src.py\"]\n"
                       "python_files = [\"check_*.py\"]\n"}});
  expect_same(s);
  EXPECT_EQ(ids(s.git), (std::vector<std::string>{"src/pkg/test_in_src.py::test_in_src@skip",
                                                  "tests/unit/check_style.py::test_check@skip"}));
}

TEST(OneCollectionRule, ConfigFlagsOverrideTheRepository) {
  ScanConfig config = ScanConfig::defaults();
  config.python_files = {"check_*.py"};
  Both s = scan_both({{"setup.cfg", "[tool:pytest]\npython_files = nothing_*.py\n"}}, config);
  expect_same(s);
  EXPECT_EQ(ids(s.git), (std::vector<std::string>{"tests/conftest.py::db@skip",
                                                  "tests/unit/check_style.py::test_check@skip"}));
  config.all_files = true;
  Both all = scan_both({}, config);
  expect_same(all);
  auto got = ids(all.git);
  EXPECT_NE(std::find(got.begin(), got.end(), "tests/helpers.py::test_helper@skip"), got.end());
  EXPECT_EQ(std::find(got.begin(), got.end(), "build/test_built.py::test_built@skip"), got.end());
}

}  // namespace
}  // namespace flakegrab
