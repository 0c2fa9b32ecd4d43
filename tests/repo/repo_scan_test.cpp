#include <git2.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "grabber/repo.h"
#include "support/git_repo_builder.h"
#include "support/process.h"

namespace flakegrab {
namespace {

namespace fs = std::filesystem;
using test::GitRepoBuilder;
using test::TempDir;

constexpr const char* kClassFile = R"(import pytest


class TestAlpha:
    @pytest.mark.xfailflake(jira="DCOS-1", reason="flaky", since="2019-01-25")
    def test_moving(self):
        pass

    @pytest.mark.skip(reason="later")
    def test_stays(self):
        pass


class TestBeta:
    pass
)";

constexpr const char* kMovedFile = R"(import pytest


class TestAlpha:
    @pytest.mark.skip(reason="later")
    def test_stays(self):
        pass


class TestBeta:
    @pytest.mark.xfailflake(jira="DCOS-1", reason="flaky", since="2019-01-25")
    def test_moving(self):
        pass
)";

std::string numbered(int i) {
  return "import pytest\n\n@pytest.mark.xfail(reason=\"r" + std::to_string(i) + "\")\ndef test_n" +
         std::to_string(i) + "():\n    pass\n";
}

std::vector<std::string> ids(const ScanResult& r) {
  std::vector<std::string> out;
  for (const auto& m : r.markers) out.push_back(m.test_id + "@" + m.name);
  std::sort(out.begin(), out.end());
  return out;
}

bool skipped(const ScanResult& r, const std::string& file, const std::string& reason) {
  return std::any_of(r.stats.skipped.begin(), r.stats.skipped.end(),
                     [&](const SkippedFile& s) { return s.file == file && s.reason == reason; });
}

struct RepoScan : ::testing::Test {
  TempDir dir;
  fs::path cache = dir / "cache";
  GitRepoBuilder b{dir / "src"};
  ScanConfig config = ScanConfig::defaults();
  RepoScanOptions opts;
  std::string main_sha;

  void SetUp() override {
    config.markers["xfailflake"] = MarkerKind::flaky;
    opts.cache_dir = cache;
    opts.threads = 2;
    b.write("main", "tests/test_classes.py", kClassFile);
    b.write("main", "tests/test_old_name.py", numbered(1));
    b.write("main", "tests/test_deleted.py", numbered(2));
    b.write("main", "src/helper.py", "@pytest.mark.xfail\ndef test_not_collected():\n  pass\n");
    main_sha = b.commit("main");
    b.branch_from("feature/moves", "main");
    b.write("feature/moves", "tests/test_classes.py", kMovedFile);
    b.rename("feature/moves", "tests/test_old_name.py", "tests/test_new_name.py");
    b.remove("feature/moves", "tests/test_deleted.py");
    b.commit("feature/moves");
  }

  std::vector<RefScan> scan(const std::vector<std::string>& refs) {
    return scan_repository((dir / "src").string(), refs, config, opts);
  }
};

TEST_F(RepoScan, BranchesSeeRenamesMovesAndDeletions) {
  auto scans = scan({"main", "feature/*"});
  ASSERT_EQ(scans.size(), 2u);
  ASSERT_TRUE(scans[0].scan) << scans[0].error.value_or("");
  ASSERT_TRUE(scans[1].scan) << scans[1].error.value_or("");
  EXPECT_EQ(scans[0].branch, "main");
  EXPECT_EQ(scans[0].commit, main_sha);
  EXPECT_EQ(scans[1].branch, "feature/moves");
  EXPECT_EQ(scans[1].ref, "feature/*");

  EXPECT_EQ(ids(*scans[0].scan),
            (std::vector<std::string>{"tests/test_classes.py::TestAlpha::test_moving@xfailflake",
                                      "tests/test_classes.py::TestAlpha::test_stays@skip",
                                      "tests/test_deleted.py::test_n2@xfail",
                                      "tests/test_old_name.py::test_n1@xfail"}));
  EXPECT_EQ(ids(*scans[1].scan),
            (std::vector<std::string>{"tests/test_classes.py::TestAlpha::test_stays@skip",
                                      "tests/test_classes.py::TestBeta::test_moving@xfailflake",
                                      "tests/test_new_name.py::test_n1@xfail"}));
  const Marker* flake = nullptr;
  for (const auto& m : scans[0].scan->markers)
    if (m.name == "xfailflake") flake = &m;
  ASSERT_NE(flake, nullptr);
  EXPECT_EQ(flake->ticket.value_or(""), "DCOS-1");
  EXPECT_EQ(flake->since.value_or(""), "2019-01-25");
  EXPECT_EQ(flake->line, 5);
}

TEST_F(RepoScan, TagsShasAndMissingRefs) {
  b.tag("v1.0", main_sha);
  auto scans = scan({"v1.0", main_sha, "no-such-branch"});
  ASSERT_EQ(scans.size(), 3u);
  ASSERT_TRUE(scans[0].scan);
  EXPECT_EQ(scans[0].commit, main_sha);
  EXPECT_EQ(scans[0].scan->markers.size(), 4u);
  // the same commit asked twice, by tag and by sha, is still answered for each request
  ASSERT_TRUE(scans[1].scan);
  EXPECT_FALSE(scans[2].scan);
  ASSERT_TRUE(scans[2].error);
  EXPECT_NE(scans[2].error->find("no-such-branch"), std::string::npos);
  EXPECT_NE(scans[2].error->find("src"), std::string::npos);
}

// A path of ~5,000 bytes (24 directories of 200) is longer than PATH_MAX: the tree walk builds
// it from tree entries and must neither truncate nor drop it, nor the file beside it.
TEST_F(RepoScan, PathsLongerThanPathMaxAreScanned) {
  std::string deep;
  for (int i = 0; i < 24; ++i) deep += std::string(200, static_cast<char>('a' + i)) + "/";
  b.branch_from("deep", "main");
  b.write("deep", "tests/" + deep + "test_deep.py", numbered(7));
  b.commit("deep");
  auto scans = scan({"deep"});
  ASSERT_EQ(scans.size(), 1u);
  ASSERT_TRUE(scans[0].scan) << scans[0].error.value_or("");
  const auto& markers = scans[0].scan->markers;
  auto it = std::find_if(markers.begin(), markers.end(), [](const Marker& m) {
    return m.name == "xfail" && m.line == 3 && m.reason == "r7";
  });
  ASSERT_NE(it, markers.end());
  EXPECT_EQ(it->file, "tests/" + deep + "test_deep.py");
  EXPECT_EQ(it->test_id, "tests/" + deep + "test_deep.py::test_n7");
  EXPECT_GT(it->file.size(), 4096u);
  EXPECT_EQ(markers.size(), 5u);  // main's four and the deep one
  EXPECT_TRUE(scans[0].scan->stats.skipped.empty());
}

TEST_F(RepoScan, SubmodulesSymlinksAndLfsPointersAreSkipped) {
  b.branch_from("odd", "main");
  b.submodule("odd", "vendor/lib", main_sha);
  b.symlink("odd", "tests/test_link.py", "test_classes.py");
  b.write("odd", "tests/test_big.py",
          "version https://git-lfs.github.com/spec/v1\noid sha256:"
          "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n");
  b.commit("odd");
  auto scans = scan({"odd"});
  ASSERT_TRUE(scans.at(0).scan) << scans[0].error.value_or("");
  const ScanResult& r = *scans[0].scan;
  EXPECT_TRUE(skipped(r, "vendor/lib", "submodule"));
  EXPECT_TRUE(skipped(r, "tests/test_link.py", "symlink"));
  EXPECT_TRUE(skipped(r, "tests/test_big.py", "lfs pointer"));
  EXPECT_EQ(r.markers.size(), 4u);
}

TEST_F(RepoScan, RepoPytestConfigPicksTestFiles) {
  b.branch_from("cfg", "main");
  b.write("cfg", "pytest.ini",
          "[pytest]\npython_files = check_*.py\nmarkers =\n    xfailflake: known flake\n"
          "    skip: builtin, registered anyway\n");
  b.write("cfg", "tests/check_extra.py", numbered(7));
  b.commit("cfg");
  auto scans = scan({"cfg"});
  ASSERT_TRUE(scans.at(0).scan) << scans[0].error.value_or("");
  EXPECT_EQ(ids(*scans[0].scan), (std::vector<std::string>{"tests/check_extra.py::test_n7@xfail"}));
  const auto& reg = scans[0].scan->stats.registered_markers;
  EXPECT_NE(std::find(reg.begin(), reg.end(), "xfailflake"), reg.end());
  EXPECT_EQ(scans[0].scan->stats.custom_markers, (std::vector<std::string>{"xfailflake"}));
}

TEST_F(RepoScan, RescanParsesOnlyTheChangedFile) {
  for (int i = 0; i < 30; ++i)
    b.write("main", "tests/test_gen" + std::to_string(i) + ".py", numbered(i));
  b.commit("main");
  auto cold = scan({"main"});
  ASSERT_TRUE(cold.at(0).scan);
  const auto n = cold[0].scan->stats.files_seen;
  EXPECT_EQ(cold[0].scan->stats.files_parsed, n);
  EXPECT_EQ(cold[0].scan->stats.files_cached, 0u);

  auto warm = scan({"main"});
  ASSERT_TRUE(warm.at(0).scan);
  EXPECT_EQ(warm[0].scan->stats.files_parsed, 0u);
  EXPECT_EQ(ids(*warm[0].scan), ids(*cold[0].scan));

  b.write("main", "tests/test_gen3.py", numbered(333));
  b.commit("main");
  auto one = scan({"main"});
  ASSERT_TRUE(one.at(0).scan);
  EXPECT_EQ(one[0].scan->stats.files_parsed, 1u);
  EXPECT_EQ(one[0].scan->stats.files_cached, n - 1);
  auto got = ids(*one[0].scan);
  EXPECT_NE(std::find(got.begin(), got.end(), "tests/test_gen3.py::test_n333@xfail"), got.end());

  opts.use_cache = false;
  auto uncached = scan({"main"});
  EXPECT_EQ(ids(*uncached.at(0).scan), got);
  EXPECT_EQ(uncached[0].scan->stats.files_parsed, n);
}

void damage_every_file(const fs::path& root, bool truncate) {
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    std::string raw = test::read_file(e.path());
    if (raw.empty()) continue;
    if (truncate) {
      raw.resize(raw.size() / 2);
    } else {
      for (size_t i = 8; i < raw.size(); i += 7) raw[i] ^= 0x5a;  // all but the magic
    }
    test::write_file(e.path(), raw);
  }
}

TEST_F(RepoScan, AnUnreadableBlobIsReadAgainOnceItIsBack) {
  // A blob whose object is missing (a partial or damaged clone) is skipped as unreadable; no
  // cache may remember that, so the run after the object returns reads it.
  git_oid blob;
  const std::string text = numbered(1);
  ASSERT_EQ(git_odb_hash(&blob, text.data(), text.size(), GIT_OBJECT_BLOB), 0);
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &blob);
  fs::path object = dir / "src/.git/objects" / std::string(hex, 2) / std::string(hex + 2);
  ASSERT_TRUE(fs::exists(object)) << object;
  fs::rename(object, dir / "away");
  auto missing = scan({"main"});
  ASSERT_TRUE(missing.at(0).scan) << missing[0].error.value_or("");
  const auto& skipped = missing[0].scan->stats.skipped;
  EXPECT_TRUE(std::any_of(skipped.begin(), skipped.end(), [](const SkippedFile& f) {
    return f.file == "tests/test_old_name.py" && f.reason == "unreadable";
  }));
  fs::rename(dir / "away", object);
  auto back = scan({"main"});
  ASSERT_TRUE(back.at(0).scan);
  auto got = ids(*back[0].scan);
  EXPECT_NE(std::find(got.begin(), got.end(), "tests/test_old_name.py::test_n1@xfail"), got.end());
  EXPECT_TRUE(back[0].scan->stats.skipped.empty() ||
              std::none_of(back[0].scan->stats.skipped.begin(), back[0].scan->stats.skipped.end(),
                           [](const SkippedFile& f) { return f.reason == "unreadable"; }));
}

TEST_F(RepoScan, CorruptOrTruncatedCacheIsDetectedAndRebuilt) {
  auto cold = scan({"main"});
  ASSERT_TRUE(cold.at(0).scan);
  const auto n = cold[0].scan->stats.files_seen;
  for (bool truncate : {false, true}) {
    damage_every_file(cache / "scan", truncate);
    auto again = scan({"main"});
    ASSERT_TRUE(again.at(0).scan) << again[0].error.value_or("");
    EXPECT_EQ(ids(*again[0].scan), ids(*cold[0].scan));
    // Damaged records are re-parsed; an intact prefix of a torn log may still answer.
    if (truncate) {
      EXPECT_GE(again[0].scan->stats.files_parsed, 1u);
    } else {
      EXPECT_EQ(again[0].scan->stats.files_parsed, n) << "damaged entries must not be trusted";
    }
    // ...and the rewritten cache answers the next run in full
    fs::remove_all(cache / "scan" / "trees");
    auto healed = scan({"main"});
    EXPECT_EQ(healed.at(0).scan->stats.files_parsed, 0u);
    EXPECT_EQ(healed[0].scan->stats.files_cached, n);
  }
}

TEST_F(RepoScan, JsonCarriesRepoBranchCommit) {
  auto scans = scan({"main", "nope"});
  auto j = to_json(scans.at(0));
  EXPECT_EQ(j.at("branch"), "main");
  EXPECT_EQ(j.at("commit"), main_sha);
  EXPECT_EQ(j.at("repo"), (dir / "src").string());
  EXPECT_TRUE(j.contains("markers"));
  EXPECT_TRUE(j.contains("scanned_at"));
  auto f = to_json(scans.at(1));
  EXPECT_EQ(f.at("ref"), "nope");
  EXPECT_TRUE(f.at("error").is_string());
}

TEST_F(RepoScan, UnreachableRepoThrowsNamingIt) {
  try {
    scan_repository((dir / "missing").string(), {"main"}, config, opts);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos);
  }
}

}  // namespace
}  // namespace flakegrab
