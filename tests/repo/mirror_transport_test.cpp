// Clone and fetch through libgit2's own transports against real loopback peers.
#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "grabber/git/handles.h"
#include "grabber/git/mirror.h"
#include "grabber/git/refs.h"
#include "grabber/git/url.h"
#include "repo/git_servers.h"
#include "support/git_repo_builder.h"
#include "support/process.h"

namespace flakegrab::git {
namespace {

namespace fs = std::filesystem;
using test::GitRepoBuilder;
using test::TempDir;

constexpr const char* kFakeSecret = "ghp_FAKEsecret0123456789abcdefDONOTLEAK";

std::string sha_of(git_repository* repo, const std::string& ref) {
  auto refs = resolve_refs(repo, {ref}, false, "test");
  if (refs.size() != 1 || refs[0].error) return "";
  return oid_hex(refs[0].commit);
}

std::vector<fs::path> mirrors_in(const fs::path& cache) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(cache / "mirrors", ec)) {
    if (e.is_directory()) out.push_back(e.path());
  }
  return out;
}

class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

struct Served : ::testing::Test {
  TempDir dir;
  fs::path root = dir / "srv";
  fs::path cache = dir / "cache";
  std::unique_ptr<GitRepoBuilder> b;
  std::string first_sha;
  void SetUp() override {
    b = std::make_unique<GitRepoBuilder>(root / "proj.git", true);
    b->write("main", "tests/test_a.py",
             "import pytest\n\n@pytest.mark.xfail\ndef test_a():\n    pass\n");
    first_sha = b->commit("main");
    b->branch_from("release/1.0", "main");
    b->write("release/1.0", "tests/test_b.py", "def test_b():\n    pass\n");
    b->commit("release/1.0");
    b->branch_from("gone", "main");
  }
};

TEST_F(Served, FileUrlClonesThenFetchesOnlyUpdates) {
  auto loc = parse_location("file://" + (root / "proj.git").string());
  {
    Repository m = open_repository(loc, cache, 0);
    EXPECT_TRUE(git_repository_is_bare(m.get()));
    EXPECT_EQ(sha_of(m.get(), "main"), first_sha);
    EXPECT_NE(sha_of(m.get(), "gone"), "");
  }
  b->write("main", "tests/test_a.py", "def test_a():\n    pass\n");
  std::string second = b->commit("main");
  b->delete_branch("gone");
  Repository m = open_repository(loc, cache, 0);
  EXPECT_EQ(sha_of(m.get(), "main"), second);
  EXPECT_EQ(sha_of(m.get(), "gone"), "");  // pruned like the server
  EXPECT_EQ(mirrors_in(cache).size(), 1u);
}

TEST_F(Served, GitDaemonCloneAndFetch) {
  test::GitDaemon daemon(root);
  auto loc = parse_location(daemon.url("proj.git"));
  {
    Repository m = open_repository(loc, cache, 1);
    EXPECT_EQ(sha_of(m.get(), "main"), first_sha);
    EXPECT_NE(sha_of(m.get(), "release/1.0"), "");
  }
  b->write("release/1.0", "tests/test_c.py", "def test_c():\n    pass\n");
  std::string next = b->commit("release/1.0");
  Repository m = open_repository(loc, cache, 1);
  EXPECT_EQ(sha_of(m.get(), "release/1.0"), next);
}

TEST_F(Served, HttpTokenFromEnvironmentNeverReachesConfigOrErrors) {
  test::GitHttpServer server(root, kFakeSecret);
  ScopedEnv token("GITHUB_TOKEN", kFakeSecret);
  auto loc = parse_location(server.url("proj.git"));
  Repository m = open_repository(loc, cache, 0, AuthPolicy{true});
  EXPECT_EQ(sha_of(m.get(), "main"), first_sha);
  auto mirrors = mirrors_in(cache);
  ASSERT_EQ(mirrors.size(), 1u);
  std::string config = test::read_file(mirrors[0] / "config");
  EXPECT_EQ(config.find(kFakeSecret), std::string::npos);
  EXPECT_NE(config.find(server.url("proj.git")), std::string::npos);
}

TEST_F(Served, TokenInUrlIsUsedButNotStored) {
  test::GitHttpServer server(root, kFakeSecret);
  ScopedEnv t1("GITHUB_TOKEN", nullptr);
  ScopedEnv t2("GIT_TOKEN", nullptr);
  std::string url = server.url("proj.git");
  url.insert(url.find("://") + 3, std::string("x-access-token:") + kFakeSecret + "@");
  auto loc = parse_location(url);
  EXPECT_EQ(loc.display.find(kFakeSecret), std::string::npos);
  Repository m = open_repository(loc, cache, 0, AuthPolicy{true});
  EXPECT_EQ(sha_of(m.get(), "main"), first_sha);
  std::string config = test::read_file(mirrors_in(cache).at(0) / "config");
  EXPECT_EQ(config.find(kFakeSecret), std::string::npos);
}

TEST_F(Served, BareTokenAsUrlUserIsUsed) {
  test::GitHttpServer server(root, kFakeSecret);
  ScopedEnv t1("GITHUB_TOKEN", nullptr);
  ScopedEnv t2("GIT_TOKEN", nullptr);
  std::string url = server.url("proj.git");
  url.insert(url.find("://") + 3, std::string(kFakeSecret) + "@");
  Repository m = open_repository(parse_location(url), cache, 0, AuthPolicy{true});
  EXPECT_EQ(sha_of(m.get(), "main"), first_sha);
  EXPECT_EQ(test::read_file(mirrors_in(cache).at(0) / "config").find(kFakeSecret),
            std::string::npos);
}

TEST_F(Served, WrongTokenFailsFastWithoutLeakingOrRetrying) {
  test::GitHttpServer server(root, "the-right-token");
  ScopedEnv t1("GITHUB_TOKEN", kFakeSecret);
  auto loc = parse_location(server.url("proj.git"));
  try {
    open_repository(loc, cache, 3, AuthPolicy{true});
    FAIL() << "expected an auth failure";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find(server.url("proj.git")), std::string::npos) << msg;
    EXPECT_NE(msg.find("authentication"), std::string::npos) << msg;
    EXPECT_EQ(msg.find(kFakeSecret), std::string::npos) << msg;
    EXPECT_EQ(msg.find("attempts"), std::string::npos) << msg;  // auth is not retried
  }
  EXPECT_TRUE(mirrors_in(cache).empty());
}

// Issue 8 item 2: a plain-http remote answering 401 gets no token unless allowed, and the error
// names the withheld credential. The server counts the Authorization headers it was sent.
TEST_F(Served, PlainHttpGetsNoTokenWithoutAllowInsecureAuth) {
  test::GitHttpServer server(root, kFakeSecret);
  ScopedEnv t1("GITHUB_TOKEN", kFakeSecret);
  ScopedEnv t2("GIT_TOKEN", nullptr);
  auto loc = parse_location(server.url("proj.git"));
  try {
    open_repository(loc, cache, 0);
    FAIL() << "expected the token to be withheld";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("GITHUB_TOKEN not sent over plain http"), std::string::npos) << msg;
    EXPECT_NE(msg.find("--allow-insecure-auth"), std::string::npos) << msg;
    EXPECT_EQ(msg.find(kFakeSecret), std::string::npos) << msg;
  }
  EXPECT_EQ(server.authorized_requests.load(), 0);
  EXPECT_GE(server.auth_failures.load(), 1);

  std::string url = server.url("proj.git");
  url.insert(url.find("://") + 3, std::string("x-access-token:") + kFakeSecret + "@");
  try {
    open_repository(parse_location(url), cache, 0);
    FAIL() << "expected the URL's password to be withheld";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("password in the URL not sent over plain http"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(server.authorized_requests.load(), 0);

  Repository m = open_repository(loc, cache, 0, AuthPolicy{true});
  EXPECT_EQ(sha_of(m.get(), "main"), first_sha);
  EXPECT_GE(server.authorized_requests.load(), 1);
}

TEST_F(Served, ServerDyingMidPackIsRetried) {
  test::GitHttpServer server(root, "");
  server.truncate_packs = 1;
  auto loc = parse_location(server.url("proj.git"));
  Repository m = open_repository(loc, cache, 3);
  EXPECT_EQ(sha_of(m.get(), "main"), first_sha);
  EXPECT_GE(server.pack_requests.load(), 2);
}

TEST_F(Served, ServerAlwaysDyingGivesCleanErrorAndNoHalfMirror) {
  test::GitHttpServer server(root, "");
  server.truncate_packs = 100;
  auto loc = parse_location(server.url("proj.git"));
  try {
    open_repository(loc, cache, 1);
    FAIL() << "expected a network failure";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find(server.url("proj.git")), std::string::npos) << msg;
    EXPECT_NE(msg.find("2 attempts"), std::string::npos) << msg;
  }
  EXPECT_TRUE(mirrors_in(cache).empty());
}

TEST_F(Served, ConnectionRefusedIsRetriedThenReported) {
  int port = test::free_port();  // nothing listens there
  auto loc = parse_location("http://127.0.0.1:" + std::to_string(port) + "/git/proj.git");
  try {
    open_repository(loc, cache, 2);
    FAIL() << "expected a network failure";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find(loc.display), std::string::npos) << msg;
    EXPECT_NE(msg.find("3 attempts"), std::string::npos) << msg;
  }
  EXPECT_TRUE(mirrors_in(cache).empty());
}

TEST_F(Served, ConcurrentFetchesShareOneMirror) {
  auto loc = parse_location("file://" + (root / "proj.git").string());
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      try {
        Repository m = open_repository(loc, cache, 0);
        if (sha_of(m.get(), "main") == first_sha) ++ok;
      } catch (const Error&) {
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 4);
  EXPECT_EQ(mirrors_in(cache).size(), 1u);
}

}  // namespace
}  // namespace flakegrab::git
