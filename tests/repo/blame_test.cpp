#include <gtest/gtest.h>

#include <set>

#include "grabber/git/blame.h"
#include "grabber/git/handles.h"
#include "grabber/marker_origins.h"
#include "support/git_repo_builder.h"
#include "support/process.h"

namespace flakegrab {
namespace {

constexpr long long kDay = 86400;
constexpr long long kT0 = 1600000000;

std::string module(bool marked, bool edited) {
  std::string s = "import pytest\n\n\ndef helper():\n    return 1\n\n\n";
  if (marked) s += "@pytest.mark.xfail(reason='flaky network')\n";
  s += "def test_net():\n";
  s += edited ? "    assert helper() == 1  # edited\n" : "    assert helper()\n";
  return s;
}

// main: c1 adds the file, c2 adds the marker, c3 edits the test body, c4 renames the file.
struct History {
  test::TempDir dir;
  test::GitRepoBuilder repo{dir / "r"};
  std::string c1, c2, c3, c4;
  History() {
    repo.write("main", "tests/test_net.py", module(false, false));
    c1 = repo.commit("main", "add test", kT0);
    repo.write("main", "tests/test_net.py", module(true, false));
    c2 = repo.commit("main", "mute it", kT0 + 10 * kDay);
    repo.write("main", "tests/test_net.py", module(true, true));
    c3 = repo.commit("main", "edit body", kT0 + 20 * kDay);
    repo.rename("main", "tests/test_net.py", "tests/net/test_network.py");
    c4 = repo.commit("main", "move", kT0 + 30 * kDay);
  }
};

git_oid oid(const std::string& hex) {
  git_oid o;
  git_oid_fromstr(&o, hex.c_str());
  return o;
}

TEST(Blame, MarkerLineDatesFromTheCommitThatAddedItThroughEditAndRename) {
  History h;
  // Line 8 is the marker, 9 the def (from c1), 10 the body (edited in c3).
  auto got =
      git::blame_lines(h.repo.repo(), oid(h.c4), {{"tests/net/test_network.py", {8, 9, 10}}}, {});
  const auto& lines = got["tests/net/test_network.py"];
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines.at(8).commit, h.c2);
  EXPECT_EQ(lines.at(8).time, kT0 + 10 * kDay);
  EXPECT_EQ(lines.at(9).commit, h.c1);
  EXPECT_EQ(lines.at(10).commit, h.c3);
}

TEST(Blame, AnOlderCommitIsBlamedAsOfThatCommit) {
  History h;
  auto got = git::blame_lines(h.repo.repo(), oid(h.c2), {{"tests/test_net.py", {8, 10}}}, {});
  EXPECT_EQ(got["tests/test_net.py"].at(8).commit, h.c2);
  EXPECT_EQ(got["tests/test_net.py"].at(10).commit, h.c1);
}

TEST(Blame, MissingPathOrLineIsLeftOutNotGuessed) {
  History h;
  git::BlameStats st;
  auto got =
      git::blame_lines(h.repo.repo(), oid(h.c4),
                       {{"tests/nope.py", {1}}, {"tests/net/test_network.py", {999}}}, {}, &st);
  EXPECT_TRUE(got["tests/nope.py"].empty());
  EXPECT_TRUE(got["tests/net/test_network.py"].empty());
  EXPECT_EQ(st.files_failed, 2u);
}

TEST(Blame, CacheAnswersUnchangedBlobsAndBlamesOnlyChangedFiles) {
  History h;
  h.repo.write("main", "tests/test_other.py",
               "import pytest\n\n@pytest.mark.skip\ndef test_o():\n    pass\n");
  std::string c5 = h.repo.commit("main", "other", kT0 + 40 * kDay);
  const auto cache = h.dir / "cache" / "blame.log";
  std::map<std::string, std::vector<int>> ask{{"tests/net/test_network.py", {8}},
                                              {"tests/test_other.py", {3}}};
  git::BlameStats first;
  auto a = git::blame_lines(h.repo.repo(), oid(c5), ask, cache, &first);
  EXPECT_EQ(first.files_blamed, 2u);
  EXPECT_EQ(first.files_cached, 0u);

  // The next day: one file changed, the other did not.
  h.repo.write("main", "tests/test_other.py",
               "import pytest\n\n@pytest.mark.skip\ndef test_o():\n    assert True\n");
  std::string c6 = h.repo.commit("main", "other body", kT0 + 41 * kDay);
  git::BlameStats daily;
  auto b = git::blame_lines(h.repo.repo(), oid(c6), ask, cache, &daily);
  EXPECT_EQ(daily.files_cached, 1u);
  EXPECT_EQ(daily.files_blamed, 1u);
  EXPECT_EQ(b["tests/net/test_network.py"].at(8).commit, h.c2);
  EXPECT_EQ(b["tests/test_other.py"].at(3).commit, c5);
  EXPECT_EQ(a["tests/net/test_network.py"], b["tests/net/test_network.py"]);
}

TEST(Blame, BlameMarkersSkipsMarkersWithSinceAndReportsIsoDates) {
  History h;
  Marker with_since;
  with_since.file = "tests/net/test_network.py";
  with_since.line = 9;
  with_since.since = "\"2019-01-25\"";
  Marker plain;
  plain.file = "tests/net/test_network.py";
  plain.line = 8;
  RepoScanOptions o;
  o.use_cache = false;
  auto got = blame_markers(h.repo.path().string(), h.c4, {with_since, plain}, o);
  ASSERT_EQ(got.size(), 1u);
  const auto& origin = got.at(marker_origin_key("tests/net/test_network.py", 8));
  EXPECT_EQ(origin.commit, h.c2);
  EXPECT_EQ(origin.date, "2020-09-23T12:26:40Z");
}

}  // namespace
}  // namespace flakegrab

namespace flakegrab {
namespace {

TEST(Blame, ParallelWorkersGiveTheSameAnswersAsOne) {
  test::TempDir dir;
  test::GitRepoBuilder repo(dir / "r");
  std::map<std::string, std::vector<int>> ask;
  std::string last;
  for (int c = 0; c < 6; ++c) {
    for (int f = 0; f <= c; ++f) {
      std::string text;
      for (int l = 0; l < 8; ++l)
        text += "x = " + std::to_string(l < c - f ? 100 * c + l : l) + "\n";
      repo.write("main", "tests/test_" + std::to_string(f) + ".py", text);
      ask["tests/test_" + std::to_string(f) + ".py"] = {1, 3, 5, 8};
    }
    last = repo.commit("main", "c" + std::to_string(c), 1600000000 + c * 86400);
  }
  git_oid head;
  git_oid_fromstr(&head, last.c_str());
  auto one = git::blame_lines(repo.repo(), head, ask, {}, nullptr, 1);
  git::BlameStats st;
  auto many = git::blame_lines(repo.repo(), head, ask, {}, &st, 4);
  EXPECT_EQ(one, many);
  EXPECT_EQ(st.files_blamed, 6u);
  std::set<std::string> commits;
  for (const auto& [path, lines] : many)
    for (const auto& [line, o] : lines) commits.insert(o.commit);
  EXPECT_GT(commits.size(), 3u);  // lines really come from different commits
}

}  // namespace
}  // namespace flakegrab
