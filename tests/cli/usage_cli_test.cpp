// The command line as a newcomer meets it: typos, help, version, parser errors, units, --pretty.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/git_repo_builder.h"
#include "tests/support/paths.h"
#include "tests/support/process.h"

namespace flakegrab::test {
namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(UsageCli, UnknownCommandSuggestsTheNearest) {
  auto r = run_cli({"scna", (fixtures_dir() / "repo").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(has(r.err, "flakegrab: unknown command 'scna'; did you mean 'scan'?")) << r.err;
  r = run_cli({"corelate"});
  EXPECT_TRUE(has(r.err, "did you mean 'correlate'?")) << r.err;
  r = run_cli({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(has(r.err, "unknown command 'frobnicate'")) << r.err;
  EXPECT_FALSE(has(r.err, "did you mean")) << r.err;
}

TEST(UsageCli, HelpAndVersion) {
  auto r = run_cli({"help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "correlate")) << r.out;
  r = run_cli({"help", "dump"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "[REPO] [BRANCH...]")) << r.out;
  EXPECT_TRUE(has(r.out, "Examples:")) << r.out;
  // Every subcommand's help ends with examples (#15 item 3).
  for (std::string cmd : {"scan", "dump", "bundle", "correlate", "push", "history", "prune",
                          "redshift", "serve", "audit", "completion"}) {
    auto h = run_cli({cmd, "--help"});
    EXPECT_EQ(h.exit_code, 0) << cmd;
    EXPECT_TRUE(has(h.out, "Example")) << cmd << ":\n" << h.out;
  }
  r = run_cli({"help", "dupm"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(has(r.err, "did you mean 'dump'?")) << r.err;
  for (std::string v : {"version", "-V", "--version"}) {
    r = run_cli({v});
    EXPECT_EQ(r.exit_code, 0) << v;
    EXPECT_TRUE(has(r.out, std::string("flakegrab ") + FLAKEGRAB_VERSION)) << v << r.out;
  }
}

TEST(UsageCli, EveryParserErrorIsOnePrefixedLine) {
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  };
  const Case cases[] = {
      {{"dump", "--format", "csv", "x", "main"}, "flakegrab: dump: --format: csv not in"},
      {{"bundle"}, "flakegrab: bundle: --junit is required"},
      {{"correlate", "--formt", "json"}, "unknown option '--formt'; did you mean '--format'?"},
      {{"scan", "--max-file-size", "2 lots", "."},
       "flakegrab: scan: --max-file-size: expected a size"},
      {{"push", "--bogus"}, "flakegrab: push: unknown option '--bogus'"},
  };
  for (const auto& c : cases) {
    auto r = run_cli(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args[0];
    EXPECT_TRUE(has(r.err, c.expected)) << r.err;
    EXPECT_EQ(r.err.rfind("flakegrab: ", 0), 0u) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
  }
}

TEST(UsageCli, MaxFileSizeTakesUnits) {
  TempDir dir;
  write_file(dir / "test_big.py", "import pytest\n" + std::string(600 * 1024, '#') + "\n");
  auto stats = [&](const std::string& size) {
    auto r = run_cli({"scan", "--max-file-size", size, dir.path().string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out)["stats"]["skipped_by_reason"].value("too large", 0);
  };
  EXPECT_EQ(stats("500k"), 1);
  EXPECT_EQ(stats("2MiB"), 0);
  EXPECT_EQ(stats("1M"), 0);
}

TEST(UsageCli, JsonIsCompactUnlessPretty) {
  TempDir tmp;
  GitRepoBuilder repo(tmp / "repo");
  repo.write("main", "tests/test_a.py",
             "import pytest\n@pytest.mark.xfail(reason='r')\ndef test_a(): pass\n");
  repo.commit("main");
  std::map<std::string, std::string> env{{"XDG_CACHE_HOME", (tmp / "cache").string()}};
  auto compact = run_cli({"dump", (tmp / "repo").string(), "main"}, env);
  ASSERT_EQ(compact.exit_code, 0) << compact.err;
  EXPECT_EQ(compact.out.find('\n'), compact.out.size() - 1);
  auto pretty = run_cli({"dump", "--pretty", (tmp / "repo").string(), "main"}, env);
  EXPECT_GT(std::count(pretty.out.begin(), pretty.out.end(), '\n'), 5);
  // The second run is a cache hit (stats differ) and may fall in another second.
  auto same_parts = [](const std::string& out) {
    auto j = nlohmann::json::parse(out);
    j.erase("stats");
    j.erase("scanned_at");
    return j;
  };
  EXPECT_EQ(same_parts(compact.out), same_parts(pretty.out));

  auto rows = run_cli({"dump", "--format", "ndjson", (tmp / "repo").string(), "main"}, env);
  ASSERT_EQ(rows.exit_code, 0) << rows.err;
  EXPECT_EQ(rows.out.rfind("{\"repo\":", 0), 0u) << rows.out;
}

TEST(UsageCli, CorrelateRowsStartWithIdentityAndSummaryIsOneLine) {
  auto history = [](const char* p) { return (fixtures_dir() / "history" / p).string(); };
  auto nd = run_cli({"correlate", "--scan-dir", history("repo"), "--junit", history("junit"),
                     "--format", "ndjson"});
  ASSERT_EQ(nd.exit_code, 0) << nd.err;
  EXPECT_EQ(nd.out.rfind("{\"test_id\":", 0), 0u) << nd.out;
  EXPECT_TRUE(has(nd.out.substr(0, nd.out.find('\n')), "\",\"verdict\":")) << nd.out;
  EXPECT_EQ(nd.err.rfind("flakegrab: correlate: ", 0), 0u) << nd.err;
  EXPECT_FALSE(has(nd.err, "{")) << nd.err;
  EXPECT_TRUE(has(nd.err, "marker(s)")) << nd.err;
  auto json = run_cli({"correlate", "--scan-dir", history("repo"), "--junit", history("junit")});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_TRUE(nlohmann::json::parse(json.out).contains("summary"));
}

}  // namespace
}  // namespace flakegrab::test
