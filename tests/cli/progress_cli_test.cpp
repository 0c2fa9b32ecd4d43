// Progress (#15 item 6): on a terminal the fetch and the scan redraw one stderr line in place,
// rate-limited; with stderr not a terminal, or with --quiet, nothing but errors is printed;
// --verbose adds one line per repository and ref.
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <random>
#include <thread>

#include "support/git_repo_builder.h"
#include "support/paths.h"
#include "support/process.h"

namespace flakegrab::test {
namespace {

namespace fs = std::filesystem;

struct TtyRun {
  int exit_code = -1;
  std::string terminal;  // everything written to stderr (stdout goes to /dev/null)
  double seconds = 0;
};

// Runs the CLI with stderr on a pseudo-terminal and reads it until the process closes it; a
// process that runs until stopped (serve) gets SIGTERM once its stderr shows `stop_after`.
TtyRun run_on_tty(const std::vector<std::string>& args, const std::string& stop_after = "") {
  std::vector<std::string> argv_s{cli_binary().string()};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  winsize ws{};
  ws.ws_col = 200;
  ws.ws_row = 24;
  int master = -1;
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = ::forkpty(&master, nullptr, nullptr, &ws);
  if (pid == 0) {
    int devnull = ::open("/dev/null", O_RDWR);
    ::dup2(devnull, STDIN_FILENO);
    ::dup2(devnull, STDOUT_FILENO);
    ::setenv("GITHUB_TOKEN", "", 1);
    ::setenv("GIT_TOKEN", "", 1);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  TtyRun out;
  if (pid < 0) return out;
  char buf[4096];
  bool stopped = false;
  for (;;) {
    ssize_t n = ::read(master, buf, sizeof buf);
    if (n <= 0) break;  // EIO once the child's side is closed
    out.terminal.append(buf, static_cast<std::size_t>(n));
    if (!stopped && !stop_after.empty() && out.terminal.find(stop_after) != std::string::npos) {
      ::kill(pid, SIGTERM);
      stopped = true;
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(master);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

// A repository big enough that fetching it over file:// takes about a second: incompressible
// blobs, and enough test files that the scan reports more than once.
struct ProgressCli : ::testing::Test {
  TempDir dir;
  fs::path repo = dir / "big.git";
  std::string url = "file://" + (dir / "big.git").string();
  void SetUp() override {
    GitRepoBuilder b(repo, true);
    std::mt19937_64 rng(15);
    std::string blob(256 * 1024, '\0');
    for (int i = 0; i < 40; ++i) {
      for (std::size_t k = 0; k + 8 <= blob.size(); k += 8) {
        std::uint64_t v = rng();
        std::memcpy(&blob[k], &v, 8);
      }
      b.write("main", "data/blob" + std::to_string(i) + ".bin", blob);
    }
    for (int i = 0; i < 600; ++i)
      b.write(
          "main", "tests/test_" + std::to_string(i) + ".py",
          "import pytest\n\n@pytest.mark.skip\ndef test_" + std::to_string(i) + "():\n    pass\n");
    b.commit("main");
  }
  std::vector<std::string> dump_args(std::vector<std::string> extra = {}) {
    std::vector<std::string> a{"dump",      url, "main",        "--no-cache",
                               "--threads", "1", "--cache-dir", (dir / "cache").string()};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
};

TEST_F(ProgressCli, ATerminalSeesFetchAndScanProgressRedrawnInPlace) {
  auto r = run_on_tty(dump_args());
  ASSERT_EQ(r.exit_code, 0) << r.terminal;
  const std::string fetch = "\r\033[Kfetching " + url + ": ";
  const std::string scan = "\r\033[Kscanning " + url + "@main: ";
  EXPECT_GE(count(r.terminal, fetch), 2u) << r.terminal;
  EXPECT_NE(r.terminal.find(" objects, "), std::string::npos);
  EXPECT_NE(r.terminal.find("/600 files"), std::string::npos) << r.terminal;
  EXPECT_GE(count(r.terminal, scan), 1u);
  // About ten redraws a second, plus the final state of each stage.
  const std::size_t redraws =
      count(r.terminal, "\r\033[Kfetching") + count(r.terminal, "\r\033[Ks");
  EXPECT_LE(redraws, static_cast<std::size_t>(r.seconds * 10) + 6) << r.seconds << " s";
  EXPECT_EQ(r.terminal.find('\n'), std::string::npos) << "redrawn, not scrolled: " << r.terminal;
  // The last thing written erases the status line.
  EXPECT_EQ(r.terminal.substr(r.terminal.size() - 4), "\r\033[K");
  std::fprintf(stderr, "dump on a tty: %.2f s, %zu redraws\n", r.seconds, redraws);
}

TEST_F(ProgressCli, QuietOnATerminalAndAnyRunWithoutOnePrintNoProgress) {
  auto quiet = run_on_tty(dump_args({"--quiet"}));
  ASSERT_EQ(quiet.exit_code, 0) << quiet.terminal;
  EXPECT_EQ(quiet.terminal, "");
  auto piped = run_cli(dump_args(), {{"GITHUB_TOKEN", ""}, {"GIT_TOKEN", ""}});
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.err, "");
}

TEST_F(ProgressCli, VerboseSaysWhatWasFetchedAndScannedTerminalOrNot) {
  auto r = run_cli(dump_args({"--verbose"}), {{"GITHUB_TOKEN", ""}, {"GIT_TOKEN", ""}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find('\r'), std::string::npos);
  EXPECT_NE(r.err.find("flakegrab: fetched " + url + ": "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("flakegrab: scanned " + url + "@main: 600 markers in 600 files"),
            std::string::npos)
      << r.err;
  auto tty = run_on_tty(dump_args({"-v"}));
  ASSERT_EQ(tty.exit_code, 0);
  EXPECT_NE(tty.terminal.find("\r\033[Kflakegrab: scanned " + url + "@main: "), std::string::npos)
      << tty.terminal;
}

// A working directory (no git) of 600 muted tests, for the commands that scan directories.
struct DirProgressCli : ::testing::Test {
  TempDir dir;
  fs::path work = dir / "work";
  std::string db = "sqlite:" + (dir / "history.db").string();
  void SetUp() override {
    for (int i = 0; i < 600; ++i)
      write_file(
          work / "tests" / ("test_" + std::to_string(i) + ".py"),
          "import pytest\n\n@pytest.mark.skip\ndef test_" + std::to_string(i) + "():\n    pass\n");
  }
  std::vector<std::string> push_args(std::vector<std::string> extra = {}) {
    std::vector<std::string> a{"push", "--dir", work.string(), "--db", db, "--threads", "1"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
};

// `serve` on 127.0.0.1 with stderr in a file until SIGTERM, FLAKEGRAB_SERVE_* unset.
struct ServeRun {
  int exit_code = -1;
  std::string err;
};
ServeRun serve_until_it_answers(const fs::path& work, const fs::path& err_file,
                                std::vector<std::string> extra) {
  const int port = free_port();
  std::vector<std::string> args{"serve", "--scan-dir", work.string(), "--listen",
                                "127.0.0.1:" + std::to_string(port)};
  args.insert(args.end(), extra.begin(), extra.end());
  ServeRun out;
  Background serve(cli_binary(), args,
                   {{"FLAKEGRAB_SERVE_TOKEN", ""}, {"FLAKEGRAB_SERVE_USERS", ""}}, {}, err_file);
  // The first scan is done when /markers has data (the port is bound before it starts).
  httplib::Client client("127.0.0.1", port);
  for (int i = 0; i < 600; ++i) {
    auto r = client.Get("/markers");
    if (r && r->status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  out.exit_code = serve.terminate();
  out.err = read_file(err_file);
  return out;
}

TEST_F(DirProgressCli, PushDirAndServeScanDirShowScanProgressOnATerminal) {
  const std::string scan = "\r\033[Kscanning " + work.string() + ": ";
  auto push = run_on_tty(push_args());
  ASSERT_EQ(push.exit_code, 0) << push.terminal;
  EXPECT_GE(count(push.terminal, scan), 1u) << push.terminal;
  EXPECT_NE(push.terminal.find("600/600 files"), std::string::npos) << push.terminal;
  // The summary starts on a line the status line was erased from.
  EXPECT_NE(push.terminal.find("\r\033[Kflakegrab: push: 1 scan(s), 600 marker(s) written to "),
            std::string::npos)
      << push.terminal;

  auto serve = run_on_tty({"serve", "--scan-dir", work.string(), "--listen", "127.0.0.1:0"},
                          "/markers (refresh every ");
  EXPECT_EQ(serve.exit_code, 0) << serve.terminal;
  EXPECT_GE(count(serve.terminal, scan), 1u) << serve.terminal;
  EXPECT_NE(serve.terminal.find("600/600 files"), std::string::npos) << serve.terminal;
  EXPECT_NE(serve.terminal.find("\r\033[Kflakegrab: serve: http://127.0.0.1:"), std::string::npos)
      << serve.terminal;
}

TEST_F(DirProgressCli, PushDirAndServeScanDirPrintNoProgressWithoutATerminal) {
  auto push = run_cli(push_args());
  ASSERT_EQ(push.exit_code, 0) << push.err;
  EXPECT_EQ(push.err, "flakegrab: push: 1 scan(s), 600 marker(s) written to " + db + "\n");

  auto serve = serve_until_it_answers(work, dir / "serve.err", {});
  EXPECT_EQ(serve.exit_code, 0) << serve.err;
  EXPECT_EQ(serve.err.find('\r'), std::string::npos) << serve.err;
  EXPECT_EQ(serve.err.find("scanning"), std::string::npos) << serve.err;
  EXPECT_EQ(serve.err.find("warning"), std::string::npos) << serve.err;
  EXPECT_NE(serve.err.find("flakegrab: serve: http://127.0.0.1:"), std::string::npos) << serve.err;
}

// The warning for an address beyond loopback without credentials comes before the bind, so it
// is seen without listening beyond loopback: 192.0.2.1 (TEST-NET-1, RFC 5737) is on no
// interface here, and the bind fails.
TEST_F(DirProgressCli, ServeWarnsOfAnOpenListenerBeyondLoopbackBeforeBinding) {
  auto serve = run_cli({"serve", "--scan-dir", work.string(), "--listen", "192.0.2.1:9"},
                       {{"FLAKEGRAB_SERVE_TOKEN", ""}, {"FLAKEGRAB_SERVE_USERS", ""}});
  if (serve.exit_code == 0) GTEST_SKIP() << "192.0.2.1 is bindable here (ip_nonlocal_bind?)";
  EXPECT_NE(serve.err.find("flakegrab: warning: serve: listening on 192.0.2.1 with neither "
                           "FLAKEGRAB_SERVE_TOKEN nor FLAKEGRAB_SERVE_USERS"),
            std::string::npos)
      << serve.err;
  EXPECT_NE(serve.err.find("flakegrab: serve: cannot listen on 192.0.2.1:9"), std::string::npos)
      << serve.err;
}

// --quiet: errors only, from the store commands and serve too; an error still prints and fails.
TEST_F(DirProgressCli, QuietStoreCommandsAndServePrintOnlyErrors) {
  auto push = run_cli(push_args({"--quiet"}));
  ASSERT_EQ(push.exit_code, 0) << push.err;
  EXPECT_EQ(push.err, "");
  auto prune = run_cli({"prune", "--db", db, "--keep-days", "30", "-q"});
  ASSERT_EQ(prune.exit_code, 0) << prune.err;
  EXPECT_EQ(prune.err, "");
  auto loud_prune = run_cli({"prune", "--db", db, "--keep-days", "30"});
  EXPECT_EQ(loud_prune.err.rfind("flakegrab: prune: 0 scan(s)", 0), 0u) << loud_prune.err;
  auto tty_push = run_on_tty(push_args({"--quiet"}));
  ASSERT_EQ(tty_push.exit_code, 0) << tty_push.terminal;
  EXPECT_EQ(tty_push.terminal, "");

  auto serve = serve_until_it_answers(work, dir / "serve.err", {"--quiet"});
  EXPECT_EQ(serve.exit_code, 0) << serve.err;
  EXPECT_EQ(serve.err, "");

  auto bad = run_cli({"push", "--dir", work.string(), "--db", "mysql://db.example/flakes", "-q"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_EQ(bad.err.rfind("flakegrab: ", 0), 0u) << bad.err;
  EXPECT_NE(bad.err.find("mysql"), std::string::npos) << bad.err;
  auto missing = run_cli({"push", "--dir", (dir / "absent").string(), "--db", db, "-q"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("absent: not a directory"), std::string::npos) << missing.err;
}

TEST(OutputLevelCli, EverySubcommandTakesQuietAndVerbose) {
  for (const char* cmd : {"scan", "dump", "bundle", "correlate", "push", "history", "prune",
                          "redshift", "serve", "audit"}) {
    auto r = run_cli({cmd, "--help"});
    EXPECT_NE(r.out.find("--quiet"), std::string::npos) << cmd;
    EXPECT_NE(r.out.find("--verbose"), std::string::npos) << cmd;
  }
  auto both = run_cli({"scan", "-q", "-v", "."});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_EQ(both.err.rfind("flakegrab: ", 0), 0u) << both.err;
}

}  // namespace
}  // namespace flakegrab::test
