// dump and push --repos --shard I/N: N runs take disjoint shares that together are the list, a
// repository keeps its share from one run to the next, and an empty share is not an error.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "support/git_repo_builder.h"
#include "support/process.h"

namespace flakegrab::test {
namespace {

namespace fs = std::filesystem;

struct ShardCli : ::testing::Test {
  TempDir dir;
  std::vector<std::string> repos;
  fs::path list = dir / "repos.txt";
  void SetUp() override {
    std::string text = "# the daily job's list\n";
    for (int i = 0; i < 6; ++i) {
      GitRepoBuilder b(dir / ("r" + std::to_string(i)));
      b.write("main", "tests/test_a.py",
              "import pytest\n\n@pytest.mark.skip\ndef test_a():\n    pass\n");
      b.commit("main");
      repos.push_back(b.path().string());
      text += b.path().string() + " main\n";
    }
    write_file(list, text);
  }
  // The repositories one `dump --shard` scanned.
  std::set<std::string> dumped(const std::string& shard) {
    auto r = run_cli({"dump", "--repos", list.string(), "--shard", shard, "--cache-dir",
                      (dir / "cache").string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::set<std::string> out;
    const auto doc = nlohmann::json::parse(r.out);
    for (const auto& s : doc["scans"]) out.insert(s["repo"].get<std::string>());
    return out;
  }
};

TEST_F(ShardCli, SharesPartitionTheListAndAreStable) {
  for (int n : {1, 2, 3}) {
    std::set<std::string> all;
    std::size_t total = 0;
    for (int i = 0; i < n; ++i) {
      auto share = dumped(std::to_string(i) + "/" + std::to_string(n));
      total += share.size();
      all.insert(share.begin(), share.end());
      EXPECT_EQ(dumped(std::to_string(i) + "/" + std::to_string(n)), share) << "not stable";
    }
    EXPECT_EQ(total, repos.size()) << n << " shares overlap";
    EXPECT_EQ(all, std::set<std::string>(repos.begin(), repos.end())) << n;
  }
}

TEST_F(ShardCli, AnEmptyShareIsNothingToDoAndBadSharesAreNamed) {
  // 6 repositories in 64 shares: most shares hold none.
  std::set<int> used;
  for (int i = 0; i < 64; ++i)
    if (!dumped(std::to_string(i) + "/64").empty()) used.insert(i);
  int empty = 0;
  while (used.contains(empty)) ++empty;
  auto db = dir / "h.db";
  auto r = run_cli({"push", "--db", "sqlite:" + db.string(), "--repos", list.string(), "--shard",
                    std::to_string(empty) + "/64", "--cache-dir", (dir / "cache").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("holds none of"), std::string::npos) << r.err;

  for (std::vector<std::string> bad :
       {std::vector<std::string>{"--repos", list.string(), "--shard", "2/2"},
        std::vector<std::string>{"--repos", list.string(), "--shard", "x"},
        std::vector<std::string>{repos[0], "main", "--shard", "0/2"}}) {
    bad.insert(bad.begin(), "dump");
    auto e = run_cli(bad);
    EXPECT_EQ(e.exit_code, 2) << bad.back();
    EXPECT_NE(e.err.find("--shard"), std::string::npos) << e.err;
  }
}

}  // namespace
}  // namespace flakegrab::test
