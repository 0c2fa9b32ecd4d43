// `flakegrab serve` as a process: markers of a git repository built here (no history needed),
// verdicts with history, the original `serve REPO BRANCH PORT` order, and SIGTERM with slow
// clients connected.
#include <httplib.h>

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <thread>

#include "serve_fixture.h"
#include "support/git_repo_builder.h"
#include "support/paths.h"
#include "support/process.h"

namespace flakegrab::test {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// A running `flakegrab serve` (stderr in a file), its port read from what it prints.
struct ServeProcess {
  TempDir tmp;
  std::optional<Background> proc;
  int port = 0;

  ServeProcess(std::vector<std::string> args, const std::map<std::string, std::string>& env) {
    args.insert(args.begin(), "serve");
    proc.emplace(FLAKEGRAB_BINARY, args, env, std::filesystem::path{}, tmp / "stderr");
    std::smatch m;
    for (int i = 0; i < 400 && port == 0; ++i) {
      std::string text = stderr_text();
      if (std::regex_search(text, m, std::regex("http://[0-9.]+:([0-9]+)/markers")))
        port = std::stoi(m[1]);
      else
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }
  std::string stderr_text() { return read_file(tmp / "stderr"); }
  // Sends SIGTERM; returns the exit code and how long it took (bounded by 10 s).
  std::pair<int, Clock::duration> terminate() {
    auto t0 = Clock::now();
    int code = proc->terminate();
    return {code, Clock::now() - t0};
  }
};

std::string marked_module() {
  return "import pytest\n\n@pytest.mark.xfail(reason=\"flaky\")\ndef test_one():\n    pass\n\n"
         "@pytest.mark.skip\ndef test_two():\n    pass\n";
}

TEST(ServeCli, MarkersOfABranchWithoutHistoryAndSigtermWithSlowClients) {
  TempDir tmp;
  GitRepoBuilder repo(tmp / "repo");
  repo.write("main", "tests/test_a.py", marked_module());
  repo.commit("main");
  ServeProcess serve({repo.path().string(), "main", "--listen", "127.0.0.1:0", "--cache-dir",
                      (tmp / "cache").string()},
                     {{"FLAKEGRAB_SERVE_TOKEN", "cli-t0ken"}});
  ASSERT_NE(serve.port, 0) << serve.stderr_text();
  httplib::Client c("127.0.0.1", serve.port);
  EXPECT_EQ(c.Get("/markers")->status, 401);
  auto r = c.Get("/markers?kind=xfail", {{"Authorization", "Bearer cli-t0ken"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  auto rows = json::parse(r->body);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["test_id"], "tests/test_a.py::test_one");
  EXPECT_EQ(rows[0]["branch"], "main");

  std::vector<std::unique_ptr<serve::test::RawSocket>> slow;
  for (int i = 0; i < 20; ++i) {
    slow.push_back(std::make_unique<serve::test::RawSocket>(serve.port));
    slow.back()->send("GET /markers HTTP/1.1\r\nHost: x\r\nX-Slow: ");
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto [status, took] = serve.terminate();
  EXPECT_EQ(status, 0);
  // Not a speed figure: waiting for the slow clients would take their 30 s request timeout.
  EXPECT_LT(took, std::chrono::seconds(10));
  EXPECT_EQ(serve.stderr_text().find("cli-t0ken"), std::string::npos);
}

TEST(ServeCli, TheOriginalRepositoryBranchPortOrder) {
  TempDir tmp;
  GitRepoBuilder repo(tmp / "repo");
  repo.write("main", "tests/test_a.py", marked_module());
  repo.commit("main");
  int port = free_port();
  ServeProcess serve(
      {repo.path().string(), "main", std::to_string(port), "--cache-dir", (tmp / "cache").string()},
      {});
  ASSERT_EQ(serve.port, port) << serve.stderr_text();
  // Open to the network, so it warns about having no credentials.
  EXPECT_NE(serve.stderr_text().find("warning"), std::string::npos);
  auto r = httplib::Client("127.0.0.1", port).Get("/redash");
  ASSERT_TRUE(r);
  EXPECT_EQ(json::parse(r->body)["rows"].size(), 2u);
}

TEST(ServeCli, VerdictsWithJunitHistory) {
  ServeProcess serve({"--scan-dir", (fixtures_dir() / "history/repo").string(), "--junit",
                      (fixtures_dir() / "history/junit").string(), "--listen", "127.0.0.1:0"},
                     {});
  ASSERT_NE(serve.port, 0) << serve.stderr_text();
  auto r = httplib::Client("127.0.0.1", serve.port).Get("/verdicts?verdict=fix");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  auto rows = json::parse(r->body);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["test_id"], "tests/test_checkout.py::test_tax");
  auto [status, took] = serve.terminate();
  EXPECT_EQ(status, 0);
}

// Every 127.x address is this machine's own: serving there without a token is no exposure, so
// no warning (it was one for any host but 127.0.0.1, ::1 and localhost).
TEST(ServeCli, AnyLoopbackAddressServesOpenWithoutAWarning) {
  ServeProcess serve(
      {"--scan-dir", (fixtures_dir() / "history/repo").string(), "--listen", "127.0.0.2:0"}, {});
  ASSERT_NE(serve.port, 0) << serve.stderr_text();
  auto r = httplib::Client("127.0.0.2", serve.port).Get("/markers");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(serve.stderr_text().find("warning"), std::string::npos) << serve.stderr_text();
  EXPECT_EQ(serve.terminate().first, 0);
}

// --scan-dir with --cache-dir: refreshes rescan through the scan cache and serve the same rows.
TEST(ServeCli, ScanDirRefreshesUseTheScanCacheGivenCacheDir) {
  TempDir tmp;
  ServeProcess serve({"--scan-dir", (fixtures_dir() / "history/repo").string(), "--cache-dir",
                      (tmp / "cache").string(), "--listen", "127.0.0.1:0", "--refresh", "1"},
                     {});
  ASSERT_NE(serve.port, 0) << serve.stderr_text();
  httplib::Client c("127.0.0.1", serve.port);
  auto first = c.Get("/markers");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200);
  const std::string at = json::parse(c.Get("/healthz")->body)["refreshed_at"];
  std::string later = at;
  for (int i = 0; i < 100 && later == at; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    later = json::parse(c.Get("/healthz")->body)["refreshed_at"];
  }
  EXPECT_NE(later, at);
  auto rows = [](const std::string& body) {
    auto j = json::parse(body);
    for (auto& row : j) row.erase("scanned_at");  // each refresh's own time
    return j;
  };
  EXPECT_EQ(rows(c.Get("/markers")->body), rows(first->body));
  bool logged = false;
  for (const auto& e : std::filesystem::directory_iterator(tmp / "cache" / "scan"))
    logged = logged || (e.path().filename().string().starts_with("files-") &&
                        std::filesystem::file_size(e.path()) > 0);
  EXPECT_TRUE(logged);
  EXPECT_EQ(serve.terminate().first, 0);
}

// --db: a mute without since= or git age is dated from the day the history first saw it.
TEST(ServeCli, DaysMutedFromTheHistorysFirstSeen) {
  TempDir tmp;
  auto repo = tmp / "repo";  // outside any checkout: no git age
  std::filesystem::copy(fixtures_dir() / "history/repo", repo,
                        std::filesystem::copy_options::recursive);
  std::string db = "sqlite:" + (tmp / "h.db").string();
  auto push = run_cli({"push", "--db", db, "--dir", repo.string()});
  ASSERT_EQ(push.exit_code, 0) << push.err;
  // A scan of the same markers pushed on April 1st, before today's.
  auto doc = run_cli({"scan", repo.string()});
  ASSERT_EQ(doc.exit_code, 0) << doc.err;
  auto scan = json::parse(doc.out);
  scan["scanned_at"] = "2026-04-01T00:00:00Z";
  write_file(tmp / "old.json", scan.dump());
  ASSERT_EQ(run_cli({"push", "--db", db, "--from", (tmp / "old.json").string()}).exit_code, 0);

  ServeProcess serve(
      {"--scan-dir", repo.string(), "--junit", (fixtures_dir() / "history/junit").string(),
       "--as-of", "2026-05-22", "--db", db, "--listen", "127.0.0.1:0"},
      {});
  ASSERT_NE(serve.port, 0) << serve.stderr_text();
  auto r = httplib::Client("127.0.0.1", serve.port).Get("/verdicts");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  int seen = 0;
  for (const auto& row : json::parse(r->body)) {
    if (row["test_id"] != "tests/test_checkout.py::test_payment") continue;
    ++seen;
    EXPECT_EQ(row["days_muted"], 51) << row.dump();
  }
  EXPECT_EQ(seen, 1) << r->body;
  serve.terminate();
}

TEST(ServeCli, BadInputsExitTwoBeforeListening) {
  auto r = run_cli({"serve", "--scan-dir", (fixtures_dir() / "history/repo").string(), "--bundle",
                    "/nonexistent/bundle.json", "--listen", "127.0.0.1:0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/bundle.json"), std::string::npos) << r.err;
  auto bad = run_cli({"serve", "--scan-dir", ".", "--listen", "nowhere"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--listen"), std::string::npos) << bad.err;
  auto none = run_cli({"serve", "--listen", "127.0.0.1:0"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("REPO BRANCH"), std::string::npos) << none.err;
  TempDir tmp;
  write_file(tmp / "users", "redash\n");
  auto users = run_cli({"serve", "--scan-dir", ".", "--listen", "127.0.0.1:0"},
                       {{"FLAKEGRAB_SERVE_USERS", (tmp / "users").string()}});
  EXPECT_EQ(users.exit_code, 2);
  EXPECT_NE(users.err.find("users:1: expected user:password"), std::string::npos) << users.err;
}

}  // namespace
}  // namespace flakegrab::test
