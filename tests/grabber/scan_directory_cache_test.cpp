// Directory scans with a cache (scan --cache-dir): each file's result is kept under its bytes'
// blob id and path, and reused while it and what it used of other files are unchanged. Every
// cached rescan is compared with a scan without the cache.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "grabber/grabber.h"
#include "grabber/progress.h"
#include "grabber/stat_index.h"
#include "tests/support/process.h"

namespace flakegrab {
namespace {

namespace fs = std::filesystem;

struct Tree {
  test::TempDir dir;
  fs::path root() const { return dir / "tree"; }
  fs::path cache() const { return dir / "cache"; }
  void write(const std::string& rel, const std::string& text) {
    fs::create_directories((root() / rel).parent_path());
    test::write_file(root() / rel, text);
  }
  ScanResult cached() {
    return scan_directory(root(), ScanConfig::defaults(), 2, nullptr, cache());
  }
  ScanResult fresh() { return scan_directory(root(), ScanConfig::defaults(), 2); }
};

std::string helper(const std::string& reason) {
  return "import pytest\n\n\ndef skip_if_no(pkg):\n    return pytest.mark.skipif(True, reason=f\"" +
         reason + " {pkg}\")\n";
}

const Marker* find(const ScanResult& r, const std::string& id) {
  for (const auto& m : r.markers)
    if (m.test_id == id) return &m;
  return nullptr;
}

void expect_same_as_fresh(Tree& t, const ScanResult& cached) {
  ScanResult fresh = t.fresh();
  EXPECT_EQ(cached.markers, fresh.markers);
  EXPECT_EQ(cached.stats.files_seen, fresh.stats.files_seen);
}

TEST(ScanDirectoryCache, RescansReuseResultsWhileWhatTheyUsedIsUnchanged) {
  Tree t;
  t.write("pkg/__init__.py", "");
  t.write("pkg/util/__init__.py", "");
  t.write("pkg/util/decorators.py", helper("needs"));
  const std::string uses =
      "import pkg.util.decorators as td\n\n\n@td.skip_if_no(\"scipy\")\ndef test_x():\n    pass\n";
  t.write("tests/test_a.py", uses);
  t.write("tests/test_b.py", uses + "\n# another blob\n");
  t.write("tests/test_c.py", "import pytest\n\n\n@pytest.mark.xfail\ndef test_y():\n    pass\n");
  t.write("tests/test_d.py",
          "from pkg.marks import requires_x\n\n\n@requires_x\ndef test_z():\n    pass\n");

  ScanResult first = t.cached();
  EXPECT_EQ(first.stats.files_cached, 0u);
  ASSERT_NE(find(first, "tests/test_a.py::test_x"), nullptr);
  EXPECT_EQ(find(first, "tests/test_a.py::test_x")->reason, "needs scipy");
  expect_same_as_fresh(t, first);

  // Nothing changed but entries no import can find: all four from the cache.
  t.write("README.txt", "hello\n");
  t.write(".git/HEAD", "ref: refs/heads/main\n");
  t.write("tests/__pycache__/test_a.cpython-311.pyc", "compiled");
  t.write("pkg/my-scripts/run.py", "print(1)\n");
  t.write("pkg/util/decorators.old.py", "");
  ScanResult second = t.cached();
  EXPECT_EQ(second.stats.files_cached, 4u);
  EXPECT_EQ(second.markers, first.markers);

  // The helper's mark changes: the two files using it are re-linked, not parsed again.
  t.write("pkg/util/decorators.py", helper("wants"));
  ScanResult third = t.cached();
  EXPECT_EQ(third.stats.files_cached, 4u);
  EXPECT_EQ(third.stats.files_relinked, 2u);
  EXPECT_EQ(third.stats.files_parsed, 0u);
  ASSERT_NE(find(third, "tests/test_b.py::test_x"), nullptr);
  EXPECT_EQ(find(third, "tests/test_b.py::test_x")->reason, "wants scipy");
  expect_same_as_fresh(t, third);

  // The module test_d imports appears where it looked: its cached "no markers" no longer holds.
  t.write("pkg/marks.py", "import pytest\n\nrequires_x = pytest.mark.skip(reason=\"added\")\n");
  ScanResult fourth = t.cached();
  ASSERT_NE(find(fourth, "tests/test_d.py::test_z"), nullptr);
  EXPECT_EQ(find(fourth, "tests/test_d.py::test_z")->origin, "pkg/marks.py:3");
  expect_same_as_fresh(t, fourth);

  // A conftest.py added above the tests: every test file is looked at again.
  t.write("tests/conftest.py",
          "import pytest\n\n\n@pytest.fixture(autouse=True)\n"
          "def env():\n    pytest.skip(\"no env\")\n");
  ScanResult fifth = t.cached();
  EXPECT_EQ(fifth.stats.files_cached, 0u);
  expect_same_as_fresh(t, fifth);

  // A test file's own bytes change back to ones cached before: that result is reused.
  t.write("pkg/util/decorators.py", helper("needs"));
  t.write("tests/test_b.py", uses + "\n# another blob\n");
  ScanResult sixth = t.cached();
  expect_same_as_fresh(t, sixth);
}

// A helper like pandas' _test_decorators: names used by different test files, a base class.
std::string decorators(const std::string& windows_reason, const std::string& base_tests,
                       const std::string& appended = "") {
  return "import sys\n\nimport pytest\n\n\ndef skip_if_no(pkg):\n"
         "    return pytest.mark.skipif(True, reason=f\"needs {pkg}\")\n\n\n"
         "skip_if_windows = pytest.mark.skipif(sys.platform == \"win32\", reason=\"" +
         windows_reason + "\")\n\n\n@pytest.mark.xfail(reason=\"base\")\nclass BaseTests:\n" +
         base_tests + appended;
}

// A helper changed: only the files that used a name whose meaning changed are looked at again
// (the helper is parsed once for that): re-linked where the change is to a mark's arguments,
// extracted again where it is to what is collected; the others keep their cached results.
TEST(ScanDirectoryCache, AHelperChangeReExtractsOnlyTheUsersOfTheNamesThatChanged) {
  Tree t;
  t.write("pkg/__init__.py", "");
  t.write("pkg/util/__init__.py", "");
  const std::string two_tests =
      "    def test_one(self):\n        pass\n\n"
      "    def test_two(self):\n        pass\n";
  t.write("pkg/util/decorators.py", decorators("Running on Windows", two_tests));
  t.write("tests/test_a.py",
          "import pkg.util.decorators as td\n\n\n@td.skip_if_no(\"scipy\")\n"
          "def test_a():\n    pass\n");
  t.write("tests/test_b.py",
          "import pkg.util.decorators as td\n\n\n@td.skip_if_windows\ndef test_b():\n    pass\n");
  t.write("tests/test_c.py",
          "from pkg.util.decorators import BaseTests\n\n\nclass TestImpl(BaseTests):\n"
          "    pass\n");
  t.write("tests/test_d.py",
          "from pkg.util.decorators import *\n\n\n@skip_if_no(\"dask\")\ndef test_d():\n"
          "    pass\n");
  ScanResult first = t.cached();
  EXPECT_EQ(first.stats.files_cached, 0u);
  ASSERT_NE(find(first, "tests/test_c.py::TestImpl::test_two"), nullptr);
  expect_same_as_fresh(t, first);

  // A name nobody uses is added: every result holds.
  t.write("pkg/util/decorators.py",
          decorators("Running on Windows", two_tests,
                     "\n\ndef skip_if_change():\n    return pytest.mark.skip(reason=\"x\")\n"));
  ScanResult added = t.cached();
  EXPECT_EQ(added.stats.files_cached, 4u);
  EXPECT_EQ(added.markers, first.markers);
  expect_same_as_fresh(t, added);

  // One mark's reason changes: test_b alone is re-linked.
  t.write("pkg/util/decorators.py", decorators("Windows (changed)", two_tests));
  ScanResult reason = t.cached();
  EXPECT_EQ(reason.stats.files_cached, 4u);
  EXPECT_EQ(reason.stats.files_relinked, 1u);
  EXPECT_EQ(reason.stats.files_parsed, 0u);
  ASSERT_NE(find(reason, "tests/test_b.py::test_b"), nullptr);
  EXPECT_EQ(find(reason, "tests/test_b.py::test_b")->reason, "Windows (changed)");
  expect_same_as_fresh(t, reason);

  // The base class gains a test: the subclass's file alone is extracted again.
  const std::string three_tests = two_tests + "\n    def test_three(self):\n        pass\n";
  t.write("pkg/util/decorators.py", decorators("Windows (changed)", three_tests));
  ScanResult base = t.cached();
  EXPECT_EQ(base.stats.files_cached, 3u);
  EXPECT_NE(find(base, "tests/test_c.py::TestImpl::test_three"), nullptr);
  expect_same_as_fresh(t, base);

  // The factory is renamed (no line moves): test_a and test_d, through the star import, are
  // extracted again; their decorator now resolves to nothing but still says mute.
  std::string renamed = decorators("Windows (changed)", three_tests);
  renamed.replace(renamed.find("def skip_if_no("), 15, "def skip_if_nope(");
  t.write("pkg/util/decorators.py", renamed);
  ScanResult removed = t.cached();
  EXPECT_EQ(removed.stats.files_cached, 2u);
  ASSERT_NE(find(removed, "tests/test_a.py::test_a"), nullptr);
  EXPECT_FALSE(find(removed, "tests/test_a.py::test_a")->resolved);
  ASSERT_NE(find(removed, "tests/test_d.py::test_d"), nullptr);
  EXPECT_FALSE(find(removed, "tests/test_d.py::test_d")->resolved);
  expect_same_as_fresh(t, removed);

  // The helper is removed: its users' results no longer hold.
  fs::remove(t.root() / "pkg/util/decorators.py");
  ScanResult gone = t.cached();
  EXPECT_EQ(gone.stats.files_cached, 0u);
  EXPECT_EQ(find(gone, "tests/test_c.py::TestImpl::test_three"), nullptr);
  ASSERT_NE(find(gone, "tests/test_b.py::test_b"), nullptr);
  EXPECT_FALSE(find(gone, "tests/test_b.py::test_b")->resolved);
  expect_same_as_fresh(t, gone);
}

// A file removed from the tree, and a helper removed: neither is reported from the cache.
TEST(ScanDirectoryCache, RemovedFilesAndHelpersAreNotReportedFromTheCache) {
  Tree t;
  t.write("helpers.py", "import pytest\n\nslow_skip = pytest.mark.skip(reason=\"slow\")\n");
  t.write("test_a.py", "from helpers import slow_skip\n\n\n@slow_skip\ndef test_a():\n    pass\n");
  t.write("test_b.py", "import pytest\n\n\n@pytest.mark.xfail\ndef test_b():\n    pass\n");
  ScanResult first = t.cached();
  ASSERT_NE(find(first, "test_a.py::test_a"), nullptr);
  fs::remove(t.root() / "test_b.py");
  fs::remove(t.root() / "helpers.py");
  ScanResult second = t.cached();
  EXPECT_EQ(find(second, "test_b.py::test_b"), nullptr);
  // Still named like a mute, now resolved nowhere.
  ASSERT_NE(find(second, "test_a.py::test_a"), nullptr);
  EXPECT_FALSE(find(second, "test_a.py::test_a")->resolved);
  expect_same_as_fresh(t, second);
}

// Rewrites a file with bytes of the same size and puts its mtime back: only its ctime changes.
void rewrite_in_place(Tree& t, const std::string& rel, const std::string& text) {
  std::optional<FileStat> before = stat_beneath(t.root(), rel);
  ASSERT_TRUE(before);
  ASSERT_EQ(before->size, text.size());
  test::write_file(t.root() / rel, text);
  test::set_mtime(t.root() / rel, before->mtime_ns);
  ASSERT_EQ(stat_beneath(t.root(), rel)->mtime_ns, before->mtime_ns);
}

struct Lines final : ProgressSink {
  std::mutex mu;
  std::string last;
  void fetching(std::string_view, const FetchProgress&) override {}
  void scanning(std::string_view, std::size_t, std::size_t) override {}
  void finished(std::string_view line) override {
    std::lock_guard lock(mu);
    last = line;
  }
};

// A rescan knows an unchanged file by its stat data (StatIndex), as git's index does, and
// reads only the files whose stat changed; a file rewritten with bytes of the same size under
// its old mtime is read again, as its ctime changed. The files must have settled first: one
// changed within StatIndex::kSettled of a scan is hashed by the next scan too.
TEST(ScanDirectoryCache, UnchangedFilesAreKnownByTheirStatAndChangedOnesAreReadAgain) {
  Tree t;
  t.write("pkg/__init__.py", "");
  t.write("pkg/util/__init__.py", "");
  t.write("pkg/util/decorators.py", helper("needs"));
  t.write("tests/test_a.py",
          "import pkg.util.decorators as td\n\n\n@td.skip_if_no(\"scipy\")\ndef test_x():\n"
          "    pass\n");
  t.write("tests/test_c.py", "import pytest\n\n\n@pytest.mark.xfail\ndef test_y():\n    pass\n");
  auto scan = [&](Lines& lines) {
    return scan_directory(t.root(), ScanConfig::defaults(), 2, &lines, t.cache());
  };
  Lines unsettled, first, second, third, fourth;
  scan(unsettled);  // the files were written just now: hashed, not recorded
  std::this_thread::sleep_for(std::chrono::nanoseconds(StatIndex::kSettled) +
                              std::chrono::milliseconds(200));
  scan(first);
  EXPECT_NE(first.last.find(", 0 known by stat,"), std::string::npos) << first.last;

  // The two test files and the helper test_a's link step read.
  ScanResult unchanged = scan(second);
  EXPECT_NE(second.last.find("(2 cached, 3 known by stat,"), std::string::npos) << second.last;
  expect_same_as_fresh(t, unchanged);

  rewrite_in_place(t, "tests/test_c.py",
                   "import pytest\n\n\n@pytest.mark.skip\n\ndef test_y():\n    pass\n");
  ScanResult rewritten = scan(third);
  EXPECT_NE(third.last.find("(1 cached, 2 known by stat,"), std::string::npos) << third.last;
  ASSERT_NE(find(rewritten, "tests/test_c.py::test_y"), nullptr);
  EXPECT_EQ(find(rewritten, "tests/test_c.py::test_y")->name, "skip");
  expect_same_as_fresh(t, rewritten);

  rewrite_in_place(t, "pkg/util/decorators.py", helper("wants"));
  ScanResult relinked = scan(fourth);
  EXPECT_EQ(relinked.stats.files_relinked, 1u);
  ASSERT_NE(find(relinked, "tests/test_a.py::test_x"), nullptr);
  EXPECT_EQ(find(relinked, "tests/test_a.py::test_x")->reason, "wants scipy");
  expect_same_as_fresh(t, relinked);
}

// The cache is the one git scans keep: the same bytes at the same path under the same config
// are one entry, so a scan with the cache of a different root name is not confused by it when
// that root is a package (its imports resolve under its name).
TEST(ScanDirectoryCache, APackageRootIsPartOfTheKey) {
  test::TempDir dir;
  for (const std::string name : {"alpha", "beta"}) {
    fs::path root = dir / name;
    fs::create_directories(root / "util");
    test::write_file(root / "__init__.py", "");
    test::write_file(root / "util/__init__.py", "");
    test::write_file(root / "util/marks.py",
                     "import pytest\n\nflaky_skip = pytest.mark.skip(reason=\"flaky\")\n");
    fs::create_directories(root / "tests");
    test::write_file(root / "tests/__init__.py", "");
    test::write_file(root / "tests/test_a.py",
                     "from alpha.util.marks import flaky_skip\n\n\n@flaky_skip\n"
                     "def test_a():\n    pass\n");
  }
  ScanResult alpha = scan_directory(dir / "alpha", ScanConfig::defaults(), 1, nullptr, dir / "c");
  ScanResult beta = scan_directory(dir / "beta", ScanConfig::defaults(), 1, nullptr, dir / "c");
  EXPECT_NE(find(alpha, "tests/test_a.py::test_a"), nullptr);
  EXPECT_EQ(beta.stats.files_cached, 0u);
  EXPECT_EQ(beta.markers, scan_directory(dir / "beta", ScanConfig::defaults(), 1).markers);
}

}  // namespace
}  // namespace flakegrab
