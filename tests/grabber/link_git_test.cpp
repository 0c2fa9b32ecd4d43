// The link step on git scans: helper modules are read from the scanned tree (not a checkout),
// and records that depend on a helper follow the helper's changes through the cache.
#include <gtest/gtest.h>

#include "grabber/repo.h"
#include "tests/support/git_repo_builder.h"
#include "tests/support/process.h"

namespace flakegrab {
namespace {

using test::GitRepoBuilder;
using test::TempDir;

const Marker* find(const ScanResult& r, std::string_view id) {
  for (const auto& m : r.markers)
    if (m.test_id == id) return &m;
  return nullptr;
}

std::string helper(std::string_view reason) {
  return "import pytest\n\n\ndef skip_if_no(pkg):\n    return pytest.mark.skipif(True, reason=f\"" +
         std::string(reason) + " {pkg}\")\n";
}

// pkg/ with util/_test_decorators.py (a factory) and an empty tests/ package.
void write_packages(GitRepoBuilder& b) {
  b.write("main", "pkg/__init__.py", "");
  b.write("main", "pkg/util/__init__.py", "");
  b.write("main", "pkg/util/_test_decorators.py", helper("needs"));
  b.write("main", "pkg/tests/__init__.py", "");
}

// Scans main of dir/repo with the cache in dir/cache.
ScanResult scan_main(const std::filesystem::path& dir) {
  RepoScanOptions opts;
  opts.cache_dir = dir / "cache";
  opts.threads = 2;
  auto refs = scan_repository((dir / "repo").string(), {"main"}, ScanConfig::defaults(), opts);
  EXPECT_TRUE(refs.at(0).scan) << refs[0].error.value_or("");
  return refs[0].scan.value_or(ScanResult{});
}

TEST(LinkGit, FactoryInAHelperModuleOfTheTreeAndItsChanges) {
  TempDir dir;
  GitRepoBuilder b(dir / "repo");
  write_packages(b);
  b.write("main", "pkg/tests/test_a.py",
          "import pkg.util._test_decorators as td\n\n\n@td.skip_if_no(\"scipy\")\n"
          "def test_x():\n    pass\n");
  b.commit("main");
  auto scan = [&] { return scan_main(dir.path()); };
  ScanResult first = scan();
  const Marker* m = find(first, "pkg/tests/test_a.py::test_x");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->name, "skipif");
  EXPECT_EQ(m->line, 4);
  EXPECT_EQ(m->reason, "needs scipy");
  EXPECT_EQ(m->origin, "pkg/util/_test_decorators.py:5");
  EXPECT_EQ(m->factory, "pkg.util._test_decorators.skip_if_no");
  ASSERT_EQ(m->factory_args.size(), 1u);
  EXPECT_EQ(m->factory_args[0].second, "\"scipy\"");

  // Only the helper changes: the test file's blob is the same, its record is not.
  b.write("main", "pkg/util/_test_decorators.py", helper("wants"));
  b.commit("main", "reword", 1700000100);
  ScanResult second = scan();
  m = find(second, "pkg/tests/test_a.py::test_x");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->reason, "wants scipy");
}

// Results that depend on other paths are cached with those paths' blob ids: an unrelated commit
// re-extracts nothing, a changed helper re-extracts only the files that use it, and a helper
// added where a test file's import looked is seen.
TEST(LinkGit, CachedResultsFollowTheHelpersTheyDependOn) {
  TempDir dir;
  GitRepoBuilder b(dir / "repo");
  write_packages(b);
  const std::string uses_td =
      "import pkg.util._test_decorators as td\n\n\n@td.skip_if_no(\"scipy\")\n"
      "def test_x():\n    pass\n";
  b.write("main", "pkg/tests/test_a.py", uses_td);
  b.write("main", "pkg/tests/test_b.py", uses_td + "\n# another blob\n");
  b.write("main", "pkg/tests/test_c.py",
          "import pytest\n\n\n@pytest.mark.xfail\ndef test_y():\n    pass\n");
  // Imports a module that does not exist yet; no marker name of its own.
  b.write("main", "pkg/tests/test_d.py",
          "from pkg.tests.marks import requires_x\n\n\n@requires_x\ndef test_z():\n    pass\n");
  b.commit("main");
  auto scan = [&] { return scan_main(dir.path()); };
  ScanResult first = scan();
  EXPECT_EQ(first.stats.files_cached, 0u);
  ASSERT_NE(find(first, "pkg/tests/test_a.py::test_x"), nullptr);
  EXPECT_EQ(find(first, "pkg/tests/test_d.py::test_z"), nullptr);

  // A commit that changes no Python file: every test file comes from the cache.
  b.write("main", "README.txt", "hello\n");
  b.commit("main", "docs", 1700000100);
  ScanResult second = scan();
  EXPECT_EQ(second.stats.files_cached, 4u);
  EXPECT_EQ(second.markers.size(), first.markers.size());

  // The helper's factory changes its reason: test_a and test_b are re-linked to it, none is
  // parsed again.
  b.write("main", "pkg/util/_test_decorators.py", helper("wants"));
  b.commit("main", "reword", 1700000200);
  ScanResult third = scan();
  EXPECT_EQ(third.stats.files_cached, 4u);
  EXPECT_EQ(third.stats.files_relinked, 2u);
  EXPECT_EQ(third.stats.files_parsed, 0u);
  const Marker* a = find(third, "pkg/tests/test_a.py::test_x");
  const Marker* bm = find(third, "pkg/tests/test_b.py::test_x");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(bm, nullptr);
  EXPECT_EQ(a->reason, "wants scipy");
  EXPECT_EQ(bm->reason, "wants scipy");

  // The module test_d imports appears: its cached "no markers" does not hold any more.
  b.write("main", "pkg/tests/marks.py",
          "import pytest\n\nrequires_x = pytest.mark.skip(reason=\"added\")\n");
  b.commit("main", "add marks", 1700000300);
  ScanResult fourth = scan();
  EXPECT_EQ(fourth.stats.files_cached, 3u);
  const Marker* d = find(fourth, "pkg/tests/test_d.py::test_z");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->reason, "added");
  EXPECT_EQ(d->origin, "pkg/tests/marks.py:3");
}

}  // namespace
}  // namespace flakegrab
