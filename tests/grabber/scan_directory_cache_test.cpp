// Directory scans with a cache (scan --cache-dir): each file's result is kept under its bytes'
// blob id and path, and reused while it and what it used of other files are unchanged. Every
// cached rescan is compared with a scan without the cache.
#include <gtest/gtest.h>

#include <filesystem>

#include "grabber/grabber.h"
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

  // The helper changes: the two files using it are extracted again.
  t.write("pkg/util/decorators.py", helper("wants"));
  ScanResult third = t.cached();
  EXPECT_EQ(third.stats.files_cached, 2u);
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
