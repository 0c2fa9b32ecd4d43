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

TEST(LinkGit, FactoryInAHelperModuleOfTheTreeAndItsChanges) {
  TempDir dir;
  GitRepoBuilder b(dir / "repo");
  b.write("main", "pkg/__init__.py", "");
  b.write("main", "pkg/util/__init__.py", "");
  b.write("main", "pkg/util/_test_decorators.py", helper("needs"));
  b.write("main", "pkg/tests/__init__.py", "");
  b.write("main", "pkg/tests/test_a.py",
          "import pkg.util._test_decorators as td\n\n\n@td.skip_if_no(\"scipy\")\n"
          "def test_x():\n    pass\n");
  b.commit("main");
  RepoScanOptions opts;
  opts.cache_dir = dir / "cache";
  opts.threads = 2;
  auto scan = [&] {
    auto refs = scan_repository((dir / "repo").string(), {"main"}, ScanConfig::defaults(), opts);
    EXPECT_TRUE(refs.at(0).scan) << refs[0].error.value_or("");
    return refs[0].scan.value_or(ScanResult{});
  };
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

}  // namespace
}  // namespace flakegrab
