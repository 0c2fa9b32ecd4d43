// Marks a tree registers in its pytest config (`markers =`) are reported, kind custom: a
// conftest hook or plugin gives them their effect, which the source does not show.
#include <gtest/gtest.h>

#include <filesystem>

#include "grabber/grabber.h"
#include "grabber/repo.h"
#include "tests/support/git_repo_builder.h"
#include "tests/support/process.h"

namespace flakegrab {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

const std::string kTests =
    "import pytest\n\n\n@pytest.mark.quarantined\ndef test_q():\n    pass\n\n\n"
    "@pytest.mark.slow\ndef test_s():\n    pass\n\n\n"
    "@pytest.mark.skipif(True, reason=\"never\")\ndef test_k():\n    pass\n\n\n"
    "@pytest.mark.unregistered\ndef test_u():\n    pass\n";

const Marker* find(const ScanResult& r, const std::string& id) {
  for (const auto& m : r.markers)
    if (m.test_id == id) return &m;
  return nullptr;
}

TEST(RegisteredMarks, ADirectoryScanReportsEachRegisteredMarkAsCustom) {
  TempDir dir;
  test::write_file(dir / "pytest.ini",
                   "[pytest]\nmarkers =\n    quarantined: muted by the conftest hook\n"
                   "    slow(reason): needs --runslow\n    skipif: builtin, registered again\n");
  test::write_file(dir / "test_a.py", kTests);
  ScanResult r = scan_directory(dir.path(), ScanConfig::defaults(), 1);
  ASSERT_NE(find(r, "test_a.py::test_q"), nullptr);
  EXPECT_EQ(find(r, "test_a.py::test_q")->kind, MarkerKind::custom);
  ASSERT_NE(find(r, "test_a.py::test_s"), nullptr);
  EXPECT_EQ(find(r, "test_a.py::test_s")->name, "slow");
  EXPECT_EQ(find(r, "test_a.py::test_s")->kind, MarkerKind::custom);
  ASSERT_NE(find(r, "test_a.py::test_k"), nullptr);
  EXPECT_EQ(find(r, "test_a.py::test_k")->kind, MarkerKind::skipif);  // a builtin keeps its kind
  EXPECT_EQ(find(r, "test_a.py::test_u"), nullptr);                   // neither registered nor mute
  EXPECT_EQ(r.markers.size(), 3u);

  // A kind the scan config gives it wins.
  ScanConfig config = ScanConfig::defaults();
  config.markers["quarantined"] = MarkerKind::skip;
  ScanResult configured = scan_directory(dir.path(), config, 1);
  ASSERT_NE(find(configured, "test_a.py::test_q"), nullptr);
  EXPECT_EQ(find(configured, "test_a.py::test_q")->kind, MarkerKind::skip);
}

// The registered names are part of what a cached result depends on: registering a mark later
// reports it on files whose bytes did not change.
TEST(RegisteredMarks, RegisteringAMarkLaterIsSeenThroughTheCache) {
  TempDir dir;
  test::GitRepoBuilder b(dir / "repo");
  b.write("main", "pyproject.toml", "[tool.pytest.ini_options]\nmarkers = [\"slow: slow\"]\n");
  b.write("main", "tests/test_a.py", kTests);
  b.commit("main");
  RepoScanOptions opts;
  opts.cache_dir = dir / "cache";
  auto scan = [&] {
    auto refs = scan_repository((dir / "repo").string(), {"main"}, ScanConfig::defaults(), opts);
    EXPECT_TRUE(refs.at(0).scan) << refs[0].error.value_or("");
    return refs[0].scan.value_or(ScanResult{});
  };
  ScanResult first = scan();
  EXPECT_NE(find(first, "tests/test_a.py::test_s"), nullptr);
  EXPECT_EQ(find(first, "tests/test_a.py::test_u"), nullptr);

  b.write("main", "pyproject.toml",
          "[tool.pytest.ini_options]\nmarkers = [\"slow: slow\", \"unregistered: now it is\"]\n");
  b.commit("main", "register", 1700000100);
  ScanResult second = scan();
  ASSERT_NE(find(second, "tests/test_a.py::test_u"), nullptr);
  EXPECT_EQ(find(second, "tests/test_a.py::test_u")->kind, MarkerKind::custom);
}

}  // namespace
}  // namespace flakegrab
