// `flakegrab serve` as a process: it prints where it listens, answers over HTTP, and exits 0
// on SIGTERM.
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "support/paths.h"
#include "support/process.h"

extern char** environ;

namespace flakegrab::test {
namespace {

TEST(ServeCli, ServesVerdictsWithATokenAndStopsOnSigterm) {
  TempDir tmp;
  std::string err = (tmp / "stderr").string();
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<std::string> args = {FLAKEGRAB_BINARY, "serve",
                                   "--scan-dir",     (fixtures_dir() / "history/repo").string(),
                                   "--junit",        (fixtures_dir() / "history/junit").string(),
                                   "--listen",       "127.0.0.1:0"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_store;
  for (char** e = environ; *e; ++e) env_store.emplace_back(*e);
  env_store.emplace_back("FLAKEGRAB_SERVE_TOKEN=cli-t0ken");
  std::vector<char*> envp;
  for (auto& e : env_store) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, FLAKEGRAB_BINARY, &fa, nullptr, argv.data(), envp.data()), 0);
  posix_spawn_file_actions_destroy(&fa);

  int port = 0;
  std::smatch m;
  for (int i = 0; i < 200 && port == 0; ++i) {
    std::string text = read_file(err);
    if (std::regex_search(text, m, std::regex("http://127\\.0\\.0\\.1:([0-9]+)/verdicts")))
      port = std::stoi(m[1]);
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ASSERT_NE(port, 0) << read_file(err);

  httplib::Client c("127.0.0.1", port);
  EXPECT_EQ(c.Get("/verdicts")->status, 401);
  auto r = c.Get("/verdicts?verdict=fix", {{"Authorization", "Bearer cli-t0ken"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  auto rows = nlohmann::json::parse(r->body);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["test_id"], "tests/test_checkout.py::test_tax");

  kill(pid, SIGTERM);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(read_file(err).find("cli-t0ken"), std::string::npos);
}

TEST(ServeCli, BadInputsExitTwoBeforeListening) {
  auto r = run_cli({"serve", "--scan-dir", (fixtures_dir() / "history/repo").string(), "--bundle",
                    "/nonexistent/bundle.json", "--listen", "127.0.0.1:0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/bundle.json"), std::string::npos) << r.err;
  auto bad = run_cli({"serve", "--scan-dir", ".", "--junit", ".", "--listen", "nowhere"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--listen"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace flakegrab::test
