// The real binary against real repositories: local, git daemon, and HTTP with a fake token.
#include <git2.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "repo/git_servers.h"
#include "support/git_repo_builder.h"
#include "support/process.h"

namespace flakegrab::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kFakeSecret = "ghp_FAKEsecretTOKEN_0123456789_doNotLeak";

std::string marked(const std::string& name, const std::string& mark) {
  return "import pytest\n\n@pytest.mark." + mark + "\ndef " + name + "():\n    pass\n";
}

bool contains_in_tree(const fs::path& root, const std::string& needle) {
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file() && read_file(e.path()).find(needle) != std::string::npos) return true;
  }
  return false;
}

struct DumpCli : ::testing::Test {
  TempDir dir;
  fs::path srv = dir / "srv";
  fs::path cache = dir / "cache";
  std::unique_ptr<GitRepoBuilder> b;
  std::string main_sha;
  void SetUp() override {
    b = std::make_unique<GitRepoBuilder>(srv / "proj.git", true);
    b->write("main", "tests/test_a.py", marked("test_a", "xfail(reason=\"bug\")"));
    main_sha = b->commit("main");
    b->branch_from("release/1", "main");
    b->write("release/1", "tests/test_b.py", marked("test_b", "skip"));
    b->commit("release/1");
    b->branch_from("release/2", "main");
    b->commit("release/2");
  }
  RunResult dump(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), "dump");
    args.push_back("--cache-dir");
    args.push_back(cache.string());
    env.emplace("GITHUB_TOKEN", "");
    env.emplace("GIT_TOKEN", "");
    return run_cli(args, env);
  }
};

TEST_F(DumpCli, OneBranchPrintsTheScanDocument) {
  auto r = dump({(srv / "proj.git").string(), "main"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j.at("branch"), "main");
  EXPECT_EQ(j.at("commit"), main_sha);
  EXPECT_EQ(j.at("repo"), (srv / "proj.git").string());
  EXPECT_TRUE(j.contains("schema_version"));
  ASSERT_EQ(j.at("markers").size(), 1u);
  EXPECT_EQ(j["markers"][0].at("test_id"), "tests/test_a.py::test_a");
}

TEST_F(DumpCli, SeveralBranchesGlobsAndFailuresInOneDocument) {
  auto r = dump({"file://" + (srv / "proj.git").string(), "release/*", "main", "missing"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto j = json::parse(r.out);
  ASSERT_EQ(j.at("scans").size(), 3u);
  EXPECT_EQ(j["scans"][0].at("branch"), "release/1");
  EXPECT_EQ(j["scans"][0].at("markers").size(), 2u);
  EXPECT_EQ(j["scans"][1].at("branch"), "release/2");
  EXPECT_EQ(j["scans"][2].at("branch"), "main");
  ASSERT_EQ(j.at("failed").size(), 1u);
  EXPECT_EQ(j["failed"][0].at("ref"), "missing");
  EXPECT_NE(r.err.find("missing"), std::string::npos);
}

TEST_F(DumpCli, NdjsonHasOneMarkerPerLineWithProvenance) {
  auto r = dump({(srv / "proj.git").string(), "--all-branches", "--format", "ndjson"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    auto j = json::parse(line);
    EXPECT_TRUE(j.contains("repo") && j.contains("branch") && j.contains("commit"));
    EXPECT_EQ(j.at("commit").get<std::string>().size(), 40u);
    ++n;
  }
  EXPECT_EQ(n, 4);  // main 1 + release/1 2 + release/2 1
}

TEST_F(DumpCli, GitDaemonCloneThenIncrementalFetch) {
  GitDaemon daemon(srv);
  auto r = dump({daemon.url("proj.git"), "main"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  b->write("main", "tests/test_c.py", marked("test_c", "skipif(True, reason=\"x\")"));
  std::string next = b->commit("main");
  r = dump({daemon.url("proj.git"), "main"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j.at("commit"), next);
  EXPECT_EQ(j.at("markers").size(), 2u);
  EXPECT_EQ(j.at("stats").at("files_parsed"), 1);
}

// `REPO HEAD` is recorded as the branch HEAD points at: the local repository's own HEAD, and
// for a mirror the remote's default branch, followed when it changes.
TEST_F(DumpCli, HeadIsRecordedAsTheBranchItPointsAt) {
  ASSERT_EQ(git_repository_set_head(b->repo(), "refs/heads/release/1"), 0);
  auto local = dump({(srv / "proj.git").string(), "HEAD"});
  ASSERT_EQ(local.exit_code, 0) << local.err;
  EXPECT_EQ(json::parse(local.out).at("branch"), "release/1");

  GitDaemon daemon(srv);
  auto mirrored = dump({daemon.url("proj.git"), "HEAD"});
  ASSERT_EQ(mirrored.exit_code, 0) << mirrored.err;
  auto j = json::parse(mirrored.out);
  EXPECT_EQ(j.at("branch"), "release/1");
  EXPECT_EQ(j.at("markers").size(), 2u);

  ASSERT_EQ(git_repository_set_head(b->repo(), "refs/heads/main"), 0);
  mirrored = dump({daemon.url("proj.git"), "HEAD"});
  ASSERT_EQ(mirrored.exit_code, 0) << mirrored.err;
  j = json::parse(mirrored.out);
  EXPECT_EQ(j.at("branch"), "main");
  EXPECT_EQ(j.at("commit"), main_sha);
}

TEST_F(DumpCli, FakeTokenNeverLeaks) {
  GitHttpServer server(srv, kFakeSecret);
  // Plain http on loopback: the token is sent only with the opt-in, and even then never echoed.
  auto r = dump({server.url("proj.git"), "main", "release/1", "--allow-insecure-auth"},
                {{"GITHUB_TOKEN", kFakeSecret}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out).at("scans").size(), 2u);
  EXPECT_EQ(r.out.find(kFakeSecret), std::string::npos);
  EXPECT_EQ(r.err.find(kFakeSecret), std::string::npos);
  EXPECT_FALSE(contains_in_tree(cache, kFakeSecret));

  // token in the URL itself: used, but stripped from output and cache
  std::string url = server.url("proj.git");
  url.insert(url.find("://") + 3, std::string("x-access-token:") + kFakeSecret + "@");
  fs::remove_all(cache);
  r = dump({url, "main", "--allow-insecure-auth"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out).at("repo"), server.url("proj.git"));
  EXPECT_EQ(r.out.find(kFakeSecret), std::string::npos);
  EXPECT_FALSE(contains_in_tree(cache, kFakeSecret));
}

TEST_F(DumpCli, AuthFailureExitsTwoNamingRepoNotToken) {
  GitHttpServer server(srv, "the-real-token");
  auto r = dump({server.url("proj.git"), "main"}, {{"GIT_TOKEN", kFakeSecret}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(server.url("proj.git")), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("authentication"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(kFakeSecret), std::string::npos);
  EXPECT_EQ(r.out.find(kFakeSecret), std::string::npos);
}

TEST_F(DumpCli, ServerDyingMidCloneFailsCleanly) {
  GitHttpServer server(srv, "");
  server.truncate_packs = 100;
  auto r = dump({server.url("proj.git"), "main", "--retries", "1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(server.url("proj.git")), std::string::npos) << r.err;
  // a later run against a healthy server starts from scratch and succeeds
  server.truncate_packs = 0;
  r = dump({server.url("proj.git"), "main"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(DumpCli, ConcurrentRunsShareTheCache) {
  std::string url = "file://" + (srv / "proj.git").string();
  std::vector<RunResult> results(3);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i)
    threads.emplace_back([&, i] { results[i] = dump({url, "--all-branches"}); });
  for (auto& t : threads) t.join();
  for (const auto& r : results) {
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(json::parse(r.out).at("scans").size(), 3u);
  }
  auto again = dump({url, "main"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(json::parse(again.out).at("stats").at("files_parsed"), 0);
}

TEST_F(DumpCli, RepositoryListKeepsGoingPastAnUnreachableRepository) {
  GitRepoBuilder other(dir / "other");
  other.write("main", "tests/test_o.py", marked("test_o", "xfail"));
  other.commit("main");
  write_file(dir / "repos.txt", "# the daily list\n" + (srv / "proj.git").string() +
                                    " main release/*\n\n" +
                                    "https://127.0.0.1:1/gone.git main   # down today\n" +
                                    "file://" + (dir / "other").string() + " main\n");
  auto r = dump({"--repos", (dir / "repos.txt").string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto j = json::parse(r.out);
  std::vector<std::string> got;
  for (const auto& s : j.at("scans"))
    got.push_back(
        s.at("repo").get<std::string>().substr(s.at("repo").get<std::string>().rfind('/') + 1) +
        ":" + s.at("branch").get<std::string>());
  EXPECT_EQ(got, (std::vector<std::string>{"proj.git:main", "proj.git:release/1",
                                           "proj.git:release/2", "other:main"}));
  ASSERT_EQ(j.at("failed").size(), 1u);
  EXPECT_EQ(j["failed"][0].at("repo"), "https://127.0.0.1:1/gone.git");
  EXPECT_NE(r.err.find("https://127.0.0.1:1/gone.git"), std::string::npos) << r.err;

  // REPO and --repos together, or neither, is a usage error.
  EXPECT_EQ(dump({(srv / "proj.git").string(), "main", "--repos", (dir / "repos.txt").string()})
                .exit_code,
            2);
  write_file(dir / "empty.txt", "# nothing\n");
  auto empty = dump({"--repos", (dir / "empty.txt").string()});
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("empty.txt: no repository listed"), std::string::npos) << empty.err;
}

TEST_F(DumpCli, BadRepoExitsTwo) {
  auto r = dump({(dir / "nowhere").string(), "main"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nowhere"), std::string::npos);
}

}  // namespace
}  // namespace flakegrab::test
