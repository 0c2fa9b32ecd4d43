#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "grabber/file_checks.h"
#include "grabber/scan_pipeline.h"
#include "tests/support/paths.h"
#include "tests/support/process.h"

namespace flakegrab {
namespace {

namespace fs = std::filesystem;

TEST(FileChecks, ClassifiesBadBytes) {
  EXPECT_EQ(file_skip_reason(std::string("abc\0def", 7)), "binary");
  EXPECT_EQ(file_skip_reason("caf\xe9"), "not utf-8");
  EXPECT_EQ(file_skip_reason("\xc0\xaf"), "not utf-8");  // overlong '/'
  EXPECT_EQ(file_skip_reason("version https://git-lfs.github.com/spec/v1\noid sha256:x\n"),
            "lfs pointer");
  EXPECT_EQ(file_skip_reason("caf\xc3\xa9 = '\xe2\x82\xac'\n"), std::nullopt);
}

TEST(TestFileRules, FollowsPytestDefaultsAndGlobs) {
  EXPECT_TRUE(is_test_file("a/test_x.py", {}));
  EXPECT_TRUE(is_test_file("a/x_test.py", {}));
  EXPECT_TRUE(is_test_file("a/conftest.py", {"check_*.py"}));
  EXPECT_FALSE(is_test_file("a/helpers.py", {}));
  EXPECT_FALSE(is_test_file("test_dir/helpers.py", {}));  // globs match the basename only
  EXPECT_TRUE(is_test_file("a/check_x.py", {"check_*.py"}));
  EXPECT_FALSE(is_test_file("a/test_x.py", {"check_*.py"}));
}

ScanJob job_for(const fs::path& root, const fs::path& file) {
  ScanJob j;
  j.path = file.lexically_relative(root).generic_string();
  j.size = fs::file_size(file);
  j.read = [file] { return test::read_file(file); };
  return j;
}

// The prefilter only saves work: every fixture file must give the same markers both ways.
TEST(ScanPipeline, PrefilterNeverDropsAMarker) {
  fs::path root = test::fixtures_dir() / "repo";
  ScanConfig config = ScanConfig::defaults();
  config.markers["my_custom_quarantine"] = MarkerKind::custom;
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file() || e.path().extension() != ".py") continue;
    ScanJob j = job_for(root, e.path());
    CachedFile with = scan_one(j, config, true);
    CachedFile without = scan_one(j, config, false);
    EXPECT_EQ(with.markers.markers, without.markers.markers) << j.path;
    ++files;
  }
  EXPECT_GT(files, 5);
  // A custom-named marker with none of the generic words must survive the prefilter too.
  ScanJob j;
  j.path = "test_custom.py";
  std::string src = "import q\n@q.my_custom_quarantine\ndef test_a():\n    pass\n";
  j.size = src.size();
  j.read = [src] { return src; };
  EXPECT_EQ(scan_one(j, config, true).markers.markers, scan_one(j, config, false).markers.markers);
  // So must a decorator nothing resolves whose name says retry (reported `resolved: false`).
  src = "import tenacity\n@tenacity.retry(stop=3)\ndef test_a():\n    pass\n";
  j.size = src.size();
  j.read = [src] { return src; };
  auto kept = scan_one(j, config, true).markers.markers;
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_FALSE(kept[0].resolved);
  EXPECT_EQ(kept, scan_one(j, config, false).markers.markers);
  // And a raised SkipTest, which spells no configured name (it counts as `skipTest`), while
  // skipTest is configured; without it the file holds nothing to report.
  src = "from unittest import SkipTest\ndef test_a():\n    raise SkipTest('why')\n";
  j.size = src.size();
  j.read = [src] { return src; };
  kept = scan_one(j, config, true).markers.markers;
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].name, "SkipTest");
  EXPECT_EQ(kept[0].kind, MarkerKind::skip);
  config.markers.erase("skipTest");
  EXPECT_TRUE(scan_one(j, config, false).markers.markers.empty());
}

// A file that spells its mark only in a string its code reads (`add_marker("xfail")`) or in an
// f-string's field is parsed.
TEST(ScanPipeline, MarksSpelledInStringsCodeReadsSurviveThePrefilter) {
  const ScanConfig config = ScanConfig::defaults();
  auto job = [](std::string src) {
    ScanJob j;
    j.path = "tests/test_p.py";
    j.size = src.size();
    j.read = [src] { return src; };
    return j;
  };
  for (const char* src : {
           "import pytest\ndef test_a():\n    x = f\"{pytest.skip('why')}\"\n",
           "import pytest\ndef test_a():\n    x = f'{{skip}} {pytest.skip(\"}\")}'\n",
           "def test_a(request):\n    request.node.add_marker('xfail')\n",
           "def test_a(request):\n    request.applymarker('xfail')\n",
       }) {
    SCOPED_TRACE(src);
    auto kept = scan_one(job(src), config, true).markers.markers;
    EXPECT_EQ(kept.size(), 1u);
    EXPECT_EQ(kept, scan_one(job(src), config, false).markers.markers);
  }
}

class CountingCache : public ScanCache {
 public:
  std::optional<CachedFile> get(const std::string& key) override {
    std::lock_guard lock(mu);
    auto it = files.find(key);
    if (it == files.end()) return std::nullopt;
    return it->second;
  }
  void put(const std::string& key, const CachedFile& f) override {
    std::lock_guard lock(mu);
    files[key] = f;
  }
  std::mutex mu;
  std::map<std::string, CachedFile> files;
};

TEST(ScanPipeline, SkipsBadFilesAndUsesCache) {
  ScanConfig config = ScanConfig::defaults();
  config.max_file_bytes = 1000;
  std::vector<std::pair<std::string, std::string>> files{
      {"b/test_ok.py", "import pytest\n@pytest.mark.skip(reason='x')\ndef test_a():\n    pass\n"},
      {"a/test_bin.py", std::string("\0\1\2", 3)},
      {"c/test_big.py", std::string(2000, '#')},
      {"d/test_latin.py", "# caf\xe9\n"}};
  auto make_jobs = [&] {
    std::vector<ScanJob> jobs;
    for (const auto& [path, text] : files) {
      ScanJob j;
      j.path = path;
      j.size = text.size();
      std::string copy = text;
      j.read = [copy] { return copy; };
      j.cache_key = path;
      jobs.push_back(std::move(j));
    }
    return jobs;
  };
  CountingCache cache;
  ScanResult first = scan_jobs(make_jobs(), config, &cache, 3);
  EXPECT_EQ(first.stats.files_seen, 4u);
  EXPECT_EQ(first.stats.files_parsed, 1u);
  ASSERT_EQ(first.stats.skipped.size(), 3u);
  EXPECT_EQ(first.stats.skipped[0], (SkippedFile{"a/test_bin.py", "binary"}));
  EXPECT_EQ(first.stats.skipped[1], (SkippedFile{"c/test_big.py", "too large"}));
  EXPECT_EQ(first.stats.skipped[2], (SkippedFile{"d/test_latin.py", "not utf-8"}));
  ASSERT_EQ(first.markers.size(), 1u);
  EXPECT_EQ(first.markers[0].name, "skip");

  ScanResult second = scan_jobs(make_jobs(), config, &cache, 2);
  EXPECT_EQ(second.stats.files_parsed, 0u);
  EXPECT_EQ(second.stats.files_cached, 1u);
  EXPECT_EQ(second.markers, first.markers);
  EXPECT_EQ(second.stats.skipped, first.stats.skipped);
}

// A lazily sized job (a git blob) is sized only on a cache miss, never read when too large,
// and an unreadable one is reported but not cached: it may be readable next time.
TEST(ScanPipeline, LazySizeAndUnreadableJobs) {
  ScanConfig config = ScanConfig::defaults();
  config.max_file_bytes = 100;
  std::atomic<int> sized = 0, read = 0;  // bumped from the workers
  auto size_is = [&](std::uint64_t n) {
    return [&sized, n] {
      ++sized;
      if (n == 0) throw Error("cannot read blob");
      return n;
    };
  };
  auto make_jobs = [&] {
    std::vector<ScanJob> jobs(3);
    jobs[0].path = "test_big.py";
    jobs[0].size_of = size_is(1000);
    jobs[1].path = "test_gone.py";
    jobs[1].size_of = size_is(0);  // unreadable
    jobs[2].path = "test_ok.py";
    jobs[2].size_of = size_is(10);
    for (auto& j : jobs) {
      j.read = [&read] {
        ++read;
        return std::string("x = 1\n");
      };
      j.cache_key = j.path;
    }
    return jobs;
  };
  CountingCache cache;
  ScanResult first = scan_jobs(make_jobs(), config, &cache, 2);
  ASSERT_EQ(first.stats.skipped.size(), 2u);
  EXPECT_EQ(first.stats.skipped[0], (SkippedFile{"test_big.py", "too large"}));
  EXPECT_EQ(first.stats.skipped[1], (SkippedFile{"test_gone.py", "unreadable"}));
  EXPECT_EQ(sized, 3);
  EXPECT_EQ(read, 1);
  EXPECT_EQ(cache.files.count("test_gone.py"), 0u);

  ScanResult second = scan_jobs(make_jobs(), config, &cache, 2);
  EXPECT_EQ(sized, 4);  // only the unreadable job is asked again
  EXPECT_EQ(read, 1);
  EXPECT_EQ(second.stats.skipped, first.stats.skipped);
}

TEST(ScanDirectory, FixturesRepo) {
  ScanResult r = scan_directory(test::fixtures_dir() / "repo", ScanConfig::defaults());
  std::vector<std::string> names;
  for (const auto& m : r.markers) names.push_back(m.name);
  EXPECT_NE(std::find(names.begin(), names.end(), "xfailflake"), names.end());
  auto flake = std::find_if(r.markers.begin(), r.markers.end(),
                            [](const Marker& m) { return m.name == "xfailflake"; });
  ASSERT_NE(flake, r.markers.end());
  EXPECT_EQ(flake->ticket, "DCOS-123");
  EXPECT_EQ(flake->since, "2019-01-25");
  EXPECT_EQ(flake->file, "tests/integration/test_dcos.py");
  EXPECT_GE(r.stats.parse_errors, 1u);
  ASSERT_EQ(r.stats.skipped.size(), 1u);
  EXPECT_EQ(r.stats.skipped[0], (SkippedFile{"tests/unit/test_latin1.py", "not utf-8"}));
  EXPECT_EQ(r.stats.custom_markers, (std::vector<std::string>{"xfailflake", "slow"}));
  for (const auto& m : r.markers) EXPECT_NE(m.file, "tests/unit/helpers.py");
  // Markers are sorted by file then line, so repeated scans are byte-identical.
  EXPECT_TRUE(
      std::is_sorted(r.markers.begin(), r.markers.end(), [](const Marker& a, const Marker& b) {
        return std::tie(a.file, a.line) < std::tie(b.file, b.line);
      }));
}

TEST(ScanDirectory, SymlinksAreSkippedNotFollowed) {
  test::TempDir dir;
  test::write_file(dir / "real/test_a.py",
                   "import pytest\n@pytest.mark.skip\ndef test_a(): pass\n");
  fs::create_directory_symlink(dir / "real", dir / "linked_dir");
  fs::create_symlink(dir / "real/test_a.py", dir / "test_link.py");
  ScanResult r = scan_directory(dir.path(), ScanConfig::defaults());
  EXPECT_EQ(r.markers.size(), 1u);
  ASSERT_EQ(r.stats.skipped.size(), 1u);
  EXPECT_EQ(r.stats.skipped[0], (SkippedFile{"test_link.py", "symlink"}));
}

// A mark inherited through a chain of base classes in other modules (test -> a -> b -> c)
// reaches a file that spells a configured word only inside a longer name (`skipna`): the
// prefilter's re-check of a dropped file looks one step of imports deep, so a prefilter on the
// words of code alone would lose this record.
TEST(ScanDirectory, AMarkInheritedThroughAChainReachesAFileSpellingAWord) {
  test::TempDir dir;
  test::write_file(dir / "c.py",
                   "import pytest\n\n@pytest.mark.xfail(reason='c')\nclass C:\n"
                   "    pass\n");
  test::write_file(dir / "b.py", "from c import C\n\nclass B(C):\n    pass\n");
  test::write_file(dir / "a.py", "from b import B\n\nclass A(B):\n    pass\n");
  test::write_file(dir / "test_y.py",
                   "from a import A\n\nclass TestY(A):\n"
                   "    def test_one(self, skipna=True):\n        pass\n");
  ScanResult r = scan_directory(dir.path(), ScanConfig::defaults());
  ASSERT_EQ(r.markers.size(), 1u);
  EXPECT_EQ(r.markers[0].test_id, "test_y.py::TestY::test_one");
  EXPECT_EQ(r.markers[0].name, "xfail");
}

TEST(ScanConfigFile, LoadsMarkersAndLimits) {
  test::TempDir dir;
  test::write_file(
      dir / "flakegrab.ini",
      "[markers]\nquarantine = skip\n[scan]\nmax_file_size = 4096\npython_files = check_*.py\n");
  ScanConfig c = load_scan_config(dir / "flakegrab.ini", ScanConfig::defaults());
  EXPECT_EQ(c.markers.at("quarantine"), MarkerKind::skip);
  EXPECT_EQ(c.max_file_bytes, 4096u);
  EXPECT_EQ(c.python_files, (std::vector<std::string>{"check_*.py"}));
  test::write_file(dir / "bad.ini", "[markers]\nquarantine = sometimes\n");
  EXPECT_THROW(load_scan_config(dir / "bad.ini", ScanConfig::defaults()), Error);
  EXPECT_THROW(load_scan_config(dir / "missing.ini", ScanConfig::defaults()), Error);
}

}  // namespace
}  // namespace flakegrab
