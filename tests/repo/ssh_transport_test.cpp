// Clone and fetch over ssh:// through libgit2 against a real sshd on 127.0.0.1: key auth from
// ~/.ssh, host keys checked against known_hosts.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "repo/ssh_server.h"
#include "support/git_repo_builder.h"
#include "support/process.h"

namespace flakegrab::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct SshTransport : ::testing::Test {
  TempDir dir;
  SshServer ssh;
  GitRepoBuilder repo{dir / "srv/proj.git", true};
  RunResult dump(const std::string& cache, std::vector<std::string> refs) {
    std::vector<std::string> args = {"dump", ssh.url(dir / "srv/proj.git")};
    args.insert(args.end(), refs.begin(), refs.end());
    args.insert(args.end(), {"--cache-dir", (dir / cache).string(), "--retries", "0"});
    return run_cli(args, {{"HOME", ssh.home().string()}, {"SSH_AUTH_SOCK", ""}});
  }
};

TEST_F(SshTransport, ClonesThenFetchesWithAKeyFromHome) {
  repo.write("main", "tests/test_a.py", "import pytest\n@pytest.mark.xfail\ndef test_a(): pass\n");
  repo.commit("main");
  auto first = dump("cache", {"main"});
  ASSERT_EQ(first.exit_code, 0) << first.err << ssh.log();
  EXPECT_EQ(json::parse(first.out).at("markers").size(), 1u);

  repo.write("main", "tests/test_b.py", "import pytest\n@pytest.mark.skip\ndef test_b(): pass\n");
  std::string sha = repo.commit("main");
  auto second = dump("cache", {"main"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  auto j = json::parse(second.out);
  EXPECT_EQ(j.at("commit"), sha);
  EXPECT_EQ(j.at("markers").size(), 2u);
}

TEST_F(SshTransport, UnknownOrChangedHostKeyIsRefused) {
  repo.write("main", "tests/test_a.py", "def test_a(): pass\n");
  repo.commit("main");
  ssh.keygen(dir / "impostor");
  ssh.trust_host_key(dir / "impostor.pub");
  auto changed = dump("cache", {"main"});
  EXPECT_EQ(changed.exit_code, 2);
  EXPECT_NE(changed.err.find("hostkey"), std::string::npos) << changed.err;
  if (fs::exists(dir / "cache/mirrors")) {
    for (const auto& e : fs::directory_iterator(dir / "cache/mirrors")) {
      EXPECT_NE(e.path().extension(), ".git") << "a half mirror was left: " << e.path();
    }
  }

  fs::remove(ssh.home() / ".ssh/known_hosts");
  auto unknown = dump("cache", {"main"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("hostkey"), std::string::npos) << unknown.err;
}

TEST_F(SshTransport, NoUsableKeyIsAnAuthenticationFailure) {
  repo.write("main", "tests/test_a.py", "def test_a(): pass\n");
  repo.commit("main");
  fs::remove(ssh.home() / ".ssh/id_ed25519");
  auto r = dump("cache", {"main"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("authentication"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace flakegrab::test
