// --shard's hash: every repository in exactly one share, the same share on every run and
// machine, whatever the spelling of its URL.
#include <gtest/gtest.h>

#include <set>

#include "base/error.h"
#include "grabber/repo.h"

namespace flakegrab {
namespace {

TEST(RepoShard, SpellingsOfOneRepositoryShareAKey) {
  const std::string key = repo_shard_key("https://github.com/dcos/dcos");
  for (const char* same :
       {"https://github.com/dcos/dcos.git", "https://github.com/dcos/dcos/",
        "HTTPS://GitHub.com/dcos/dcos", "https://x-access-token:s3cret@github.com/dcos/dcos.git"})
    EXPECT_EQ(repo_shard_key(same), key) << same;
  EXPECT_EQ(key.find("s3cret"), std::string::npos);
  EXPECT_NE(repo_shard_key("https://github.com/DCOS/dcos"), key);  // paths are case-sensitive
  EXPECT_EQ(repo_shard_key("git@GitHub.com:dcos/dcos.git"), "git@github.com:dcos/dcos");
}

// Pinned: a change of hash or normalisation would move every repository to another pod and
// leave its cache volume cold.
TEST(RepoShard, IsStable) {
  EXPECT_EQ(repo_shard("https://github.com/dcos/dcos", 4), 2u);
  EXPECT_EQ(repo_shard("https://gitlab.example/group/project.git", 1000), 251u);
  EXPECT_EQ(repo_shard("git@github.com:o/r.git", 3), 2u);
  EXPECT_EQ(repo_shard("https://github.com/dcos/dcos", 1000), 450u);
}

TEST(RepoShard, SharesPartitionAListAndStayBalanced) {
  std::vector<std::string> repos;
  for (int i = 0; i < 1000; ++i)
    repos.push_back("https://git.example/team" + std::to_string(i % 17) + "/repo" +
                    std::to_string(i));
  for (std::size_t n : {1u, 2u, 3u, 4u, 8u}) {
    std::vector<int> per(n);
    for (const auto& r : repos) {
      std::size_t s = repo_shard(r, n);
      ASSERT_LT(s, n);
      ++per[s];
    }
    for (int c : per) {
      EXPECT_GT(c, static_cast<int>(1000 / n * 8 / 10)) << n;
      EXPECT_LT(c, static_cast<int>(1000 / n * 12 / 10)) << n;
    }
  }
}

TEST(RepoShard, ParsesIOverNAndNamesAnythingElse) {
  auto s = parse_repo_shard("2/4");
  EXPECT_EQ(s.index, 2u);
  EXPECT_EQ(s.count, 4u);
  for (const char* bad : {"4/4", "1/0", "1", "a/4", "-1/4", "1/4x", "/4", ""}) {
    try {
      parse_repo_shard(bad);
      ADD_FAILURE() << bad;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("--shard"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace flakegrab
