#include <gtest/gtest.h>

#include <httplib.h>

#include <chrono>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/git_repo_builder.h"
#include "support/paths.h"
#include "support/process.h"

namespace flakegrab::test {
namespace {

std::string history(const std::string& rel) {
  return (fixtures_dir() / "history" / rel).string();
}

std::map<std::string, std::string> verdicts_of(const nlohmann::json& doc) {
  std::map<std::string, std::string> out;
  for (const auto& t : doc["tests"]) out[t["test_id"]] = t["verdict"];
  return out;
}

const std::string F = "tests/test_checkout.py::";

// The fixture history has three runs, too few for an unmute or a mute at the defaults
// (59 clean runs for an unmute at 95%). Tests about inputs and formats judge at settings three
// runs can meet: 0 of 3 failed is at most 11% at 30% confidence, 1 of 3 at least 33%.
std::vector<std::string> loose(std::vector<std::string> args) {
  for (const char* a : {"--confidence", "0.3", "--max-fail-rate", "0.2"}) args.push_back(a);
  return args;
}

void expect_fixture_verdicts(const std::map<std::string, std::string>& v) {
  EXPECT_EQ(v.at(F + "test_payment"), "unmute");
  EXPECT_EQ(v.at(F + "test_refund"), "keep");
  EXPECT_EQ(v.at(F + "test_legacy"), "no_signal");
  EXPECT_EQ(v.at(F + "test_renamed_away"), "orphan");
  EXPECT_EQ(v.at(F + "test_cart"), "mute");
  EXPECT_EQ(v.at(F + "test_checkout_retry"), "mute");
  EXPECT_EQ(v.at(F + "test_tax"), "fix");
  EXPECT_EQ(v.at(F + "test_total"), "ok");
  EXPECT_EQ(v.at(F + "TestShipping::test_zone[eu]"), "unmute");
  EXPECT_EQ(v.at(F + "TestShipping::test_zone[us]"), "unmute");
}

TEST(CorrelateCli, EveryVerdictFromFixtureRepoAndJunit) {
  auto r = run_cli(loose({"correlate", "--scan-dir", history("repo"), "--junit", history("junit"),
                          "--as-of", "2026-05-22"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  expect_fixture_verdicts(verdicts_of(doc));
  for (const auto& t : doc["tests"]) {
    if (t["test_id"] == F + "test_refund") {
      EXPECT_EQ(t["days_muted"], 2674);  // since 2019-01-25
      EXPECT_EQ(t["markers"][0]["name"], "xfailflake");
      EXPECT_EQ(t["runs"], 3);
      EXPECT_EQ(t["last_status"], "xfail");
    }
  }
  // The fixture marker is reported, flagged, and judged as nothing.
  int ignored = 0;
  for (const auto& t : doc["tests"]) {
    if (t["verdict"] != "ignored") continue;
    ++ignored;
    EXPECT_EQ(t["markers"][0]["effective"], false);
    EXPECT_EQ(t["muted"], false);
  }
  EXPECT_EQ(ignored, 1);
  EXPECT_EQ(doc["summary"]["markers_unmatched"], 1);
}

TEST(CorrelateCli, SameVerdictsFromTheFixtureBundle) {
  auto r = run_cli(loose({"correlate", "--scan-dir", history("repo"), "--bundle",
                          history("bundle-checkout.json"), "--as-of", "2026-05-22"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_fixture_verdicts(verdicts_of(nlohmann::json::parse(r.out)));
}

// --scan-dir with --cache-dir: the second run takes the tree from the scan cache (for `audit`
// too, which reads its markers the same way) and judges the same.
TEST(CorrelateCli, ScanDirUsesTheScanCacheOfCacheDir) {
  TempDir tmp;
  const std::string cache = (tmp / "cache").string();
  auto run = [&](const char* command) {
    return run_cli(loose({command, "-v", "--cache-dir", cache, "--scan-dir", history("repo"),
                          "--bundle", history("bundle-checkout.json"), "--as-of", "2026-05-22"}),
                   {{"XDG_CACHE_HOME", (tmp / "xdg").string()}});
  };
  auto first = run("correlate");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find(" files (0 cached, "), std::string::npos) << first.err;
  auto second = run("correlate");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find(" files (1 cached, "), std::string::npos) << second.err;
  expect_fixture_verdicts(verdicts_of(nlohmann::json::parse(second.out)));
  auto audit = run("audit");
  EXPECT_NE(audit.err.find(" files (1 cached, "), std::string::npos) << audit.err;
  EXPECT_FALSE(std::filesystem::exists(tmp / "xdg"));
}

TEST(CorrelateCli, ScanDocumentInput) {
  TempDir tmp;
  auto scan = run_cli({"scan", history("repo")});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  write_file(tmp / "scan.json", scan.out);
  auto r = run_cli(
      loose({"correlate", "--scan", (tmp / "scan.json").string(), "--junit", history("junit")}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_fixture_verdicts(verdicts_of(nlohmann::json::parse(r.out)));
}

TEST(CorrelateCli, MarkdownTableByDate) {
  auto r = run_cli(loose({"correlate", "--scan-dir", history("repo"), "--bundle",
                          history("bundle-checkout.json"), "--format", "markdown"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("| 05/19 | 05/20 | 05/21 | 05/22 |"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("⚠️"),
            std::string::npos);  // the interrupted run on 05/22
  EXPECT_NE(r.out.find("| unmute"), std::string::npos);
}

TEST(CorrelateCli, CsvAndNdjson) {
  auto csv = run_cli(
      {"correlate", "--scan-dir", history("repo"), "--junit", history("junit"), "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("test_id,history_id,verdict,", 0), 0u);
  EXPECT_NE(csv.out.find(F + "test_tax,pytest::" + F + "test_tax,fix,"), std::string::npos)
      << csv.out;
  auto nd = run_cli(loose({"correlate", "--scan-dir", history("repo"), "--junit", history("junit"),
                           "--format", "ndjson", "--hide-ok"}));
  ASSERT_EQ(nd.exit_code, 0) << nd.err;
  std::istringstream in(nd.out);
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    EXPECT_NE(j["verdict"], "ok");
    ++rows;
  }
  EXPECT_EQ(rows, 10);  // 9 history tests + orphan + fixture marker, minus the ok one
}

TEST(CorrelateCli, MalformedJunitIsPartial) {
  auto r = run_cli(loose({"correlate", "--scan-dir", history("repo"), "--junit", history("junit"),
                          "--junit", history("junit-malformed/broken.xml")}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("broken.xml"), std::string::npos);
  expect_fixture_verdicts(verdicts_of(nlohmann::json::parse(r.out)));
}

TEST(CorrelateCli, InvalidBundleIsOneClearError) {
  TempDir tmp;
  auto b = nlohmann::json::parse(read_file(history("bundle-checkout.json")));
  b["tests"][2]["overall"]["flake_classification"] = "wobbly";
  write_file(tmp / "bad.json", b.dump());
  auto r = run_cli(
      {"correlate", "--scan-dir", history("repo"), "--bundle", (tmp / "bad.json").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.json: tests[2].overall.flake_classification: expected one of"),
            std::string::npos)
      << r.err;
  b = nlohmann::json::parse(read_file(history("bundle-checkout.json")));
  b["schema_version"] = 2;
  write_file(tmp / "v2.json", b.dump());
  r = run_cli({"correlate", "--scan-dir", history("repo"), "--bundle", (tmp / "v2.json").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("schema_version: unsupported value 2"), std::string::npos) << r.err;
}

TEST(CorrelateCli, GitlabGenericPackageWithTokenFromEnv) {
  const std::string bundle = read_file(history("bundle-checkout.json"));
  httplib::Server server;
  std::string seen_token;
  const std::string base = "/api/v4/projects/team/checkout";
  server.Get(base + "/packages", [&](const httplib::Request& req, httplib::Response& res) {
    seen_token = req.get_header_value("PRIVATE-TOKEN");
    res.set_content(R"([{"id": 7, "name": "flake-history", "version": "1716400000"}])",
                    "application/json");
  });
  server.Get(base + "/packages/7/package_files",
             [&](const httplib::Request&, httplib::Response& res) {
               res.set_content(R"([{"file_name": "bundle.json"}])", "application/json");
             });
  server.Get(base + "/packages/generic/flake-history/1716400000/bundle.json",
             [&](const httplib::Request& req, httplib::Response& res) {
               if (req.get_header_value("PRIVATE-TOKEN") != "glpat-cli-secret") {
                 res.status = 403;
                 return;
               }
               res.set_content(bundle, "application/json");
             });
  int port = server.bind_to_any_port("127.0.0.1");
  std::thread t([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  auto ok =
      run_cli(loose({"correlate", "--scan-dir", history("repo"), "--gitlab-url", url, "--project",
                     "team/checkout", "--as-of", "2026-05-22", "--allow-insecure-auth"}),
              {{"GITLAB_TOKEN", "glpat-cli-secret"}, {"CI_JOB_TOKEN", ""}});
  auto denied = run_cli({"correlate", "--scan-dir", history("repo"), "--gitlab-url", url,
                         "--project", "team/checkout", "--allow-insecure-auth"},
                        {{"GITLAB_TOKEN", "glpat-wrong-secret"}, {"CI_JOB_TOKEN", ""}});
  server.stop();
  t.join();
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(seen_token, "glpat-wrong-secret");
  expect_fixture_verdicts(verdicts_of(nlohmann::json::parse(ok.out)));
  EXPECT_EQ(denied.exit_code, 2);
  EXPECT_NE(denied.err.find("HTTP 403"), std::string::npos) << denied.err;
  EXPECT_EQ(denied.err.find("glpat-wrong-secret"), std::string::npos);
  EXPECT_EQ(denied.out.find("glpat-wrong-secret"), std::string::npos);
}

// A real git repository holding the fixture repo's files on branch "main".
void make_git_repo(const std::filesystem::path& dir) {
  GitRepoBuilder repo(dir);
  auto src = fixtures_dir() / "history/repo";
  for (const auto& e : std::filesystem::recursive_directory_iterator(src)) {
    if (!e.is_regular_file()) continue;
    repo.write("main", std::filesystem::relative(e.path(), src).generic_string(),
               read_file(e.path()));
  }
  repo.commit("main", "fixture");
}

TEST(CorrelateCli, RepoAndBranch) {
  TempDir tmp;
  make_git_repo(tmp / "repo");
  auto r =
      run_cli(loose({"correlate", (tmp / "repo").string(), "main", "--junit", history("junit")}),
              {{"XDG_CACHE_HOME", (tmp / "cache").string()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_fixture_verdicts(verdicts_of(nlohmann::json::parse(r.out)));
}

// correlate takes dump's repository options: the mirror of a URL lands in --cache-dir, and
// --all-branches needs no BRANCH.
TEST(CorrelateCli, RepositoryOptionsAsForDump) {
  TempDir tmp;
  make_git_repo(tmp / "repo");
  std::string url = "file://" + (tmp / "repo").string();
  auto r = run_cli(loose({"correlate", url, "--all-branches", "--cache-dir",
                          (tmp / "mine").string(), "--retries", "0", "--junit", history("junit")}),
                   {{"XDG_CACHE_HOME", (tmp / "default").string()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_fixture_verdicts(verdicts_of(nlohmann::json::parse(r.out)));
  EXPECT_TRUE(std::filesystem::exists(tmp / "mine"));
  EXPECT_FALSE(std::filesystem::exists(tmp / "default"));
}

TEST(CorrelateCli, NeedsMarkersAndHistory) {
  auto r = run_cli({"correlate", "--junit", history("junit")});
  EXPECT_EQ(r.exit_code, 2);
  r = run_cli({"correlate", "--scan-dir", history("repo")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--bundle"), std::string::npos);
}

}  // namespace
}  // namespace flakegrab::test
