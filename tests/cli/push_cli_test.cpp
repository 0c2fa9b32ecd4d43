// The daily job end to end: scan (git branches, working trees, saved documents) then push the
// markers into a real SQLite file, read back with SQLite's own API.
#include <git2.h>
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/git_repo_builder.h"
#include "tests/support/paths.h"
#include "tests/support/process.h"

namespace flakegrab::test {
namespace {

std::string query(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* h = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        auto* t = sqlite3_column_text(st, c);
        out += (c ? "|" : "") + std::string(t ? reinterpret_cast<const char*>(t) : "NULL");
      }
      out += "\n";
    }
  } else {
    out = std::string("error: ") + sqlite3_errmsg(h);
  }
  sqlite3_finalize(st);
  sqlite3_close(h);
  return out;
}

TEST(PushCli, BranchesOfAGitRepositoryLandInSqlite) {
  TempDir tmp;
  GitRepoBuilder repo(tmp / "origin");
  repo.write("main", "tests/test_a.py",
             "import pytest\n\n@pytest.mark.xfailflake(since='2019-01-25', jira='DCOS-1')\n"
             "def test_a():\n    pass\n");
  std::string main_sha = repo.commit("main");
  repo.branch_from("release/1.0", "main");
  repo.write("release/1.0", "tests/test_b.py",
             "import pytest\n\n@pytest.mark.skip(reason='see ABC-9')\ndef test_b():\n    pass\n");
  repo.commit("release/1.0");
  auto db = tmp / "history.db";

  auto r = run_cli({"push", "--db", "sqlite:" + db.string(), "--cache-dir",
                    (tmp / "cache").string(), repo.path().string(), "main", "release/*"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("2 scan(s), 3 marker(s) written"), std::string::npos) << r.err;
  EXPECT_EQ(query(db, "SELECT branch, commit_sha, markers FROM flakegrab_scans ORDER BY branch"),
            "main|" + main_sha + "|1\nrelease/1.0|" +
                query(db, "SELECT commit_sha FROM flakegrab_scans WHERE branch='release/1.0'")
                    .substr(0, 40) +
                "|2\n");
  EXPECT_EQ(query(db,
                  "SELECT test_id, name, kind, ticket, since FROM flakegrab_markers "
                  "WHERE branch='main'"),
            "tests/test_a.py::test_a|xfailflake|xfail|DCOS-1|2019-01-25\n");
  EXPECT_EQ(query(db, "SELECT ticket FROM flakegrab_markers WHERE test_id LIKE '%test_b'"),
            "ABC-9\n");
}

TEST(PushCli, SavedDocumentsPushOnceAndWorkingTreesToo) {
  TempDir tmp;
  auto db = (tmp / "h.db").string();
  auto scan = run_cli({"scan", (fixtures_dir() / "repo").string()});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  write_file(tmp / "scan.json", scan.out);

  auto first = run_cli({"push", "--db", db, "--from", (tmp / "scan.json").string()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto again = run_cli({"push", "--db", db, "--from", (tmp / "scan.json").string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("1 already there"), std::string::npos) << again.err;
  EXPECT_EQ(query(db, "SELECT count(*) FROM flakegrab_scans"), "1\n");
  std::string markers = query(db, "SELECT count(*) FROM flakegrab_markers");
  EXPECT_NE(markers, "0\n");

  auto dir = run_cli({"push", "--db", db, "--dir", (fixtures_dir() / "repo").string()});
  ASSERT_EQ(dir.exit_code, 0) << dir.err;
  EXPECT_NE(query(db,
                  "SELECT count(*) FROM flakegrab_markers WHERE name='xfailflake' AND "
                  "ticket='DCOS-123' AND since='2019-01-25'"),
            "0\n");
}

// A working directory inside a checkout records the branch and commit it has out.
TEST(PushCli, WorkingTreeInACheckoutRecordsBranchAndCommit) {
  TempDir tmp;
  GitRepoBuilder repo(tmp / "checkout");
  const std::string source =
      "import pytest\n\n@pytest.mark.xfail(reason='bug')\ndef test_a():\n    pass\n";
  repo.write("trunk", "tests/test_a.py", source);
  std::string sha = repo.commit("trunk");
  ASSERT_EQ(git_repository_set_head(repo.repo(), "refs/heads/trunk"), 0);
  write_file(tmp / "checkout/tests/test_a.py", source);
  auto db = tmp / "h.db";
  auto r = run_cli({"push", "--db", db.string(), "--dir", (tmp / "checkout/tests").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(query(db, "SELECT branch, commit_sha, markers FROM flakegrab_scans"),
            "trunk|" + sha + "|1\n");

  // Outside any repository: no branch, no commit.
  write_file(tmp / "plain/tests/test_a.py", source);
  r = run_cli({"push", "--db", db.string(), "--dir", (tmp / "plain").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(query(db,
                  "SELECT branch || ':' || commit_sha FROM flakegrab_scans WHERE repo LIKE "
                  "'%plain'"),
            ":\n");
}

// A working tree goes through the scan cache only when --cache-dir names one, as for `scan`:
// the second push takes the files from it (`-v` counts them) and stores the same markers; the
// default cache directory of mirrors is not written, nor is any with --no-cache.
TEST(PushCli, WorkingTreeUsesTheScanCacheOfCacheDir) {
  TempDir tmp;
  const std::string tree = (fixtures_dir() / "repo").string();
  const std::map<std::string, std::string> env{{"XDG_CACHE_HOME", (tmp / "xdg").string()}};
  auto push = [&](const std::string& db, std::vector<std::string> extra) {
    std::vector<std::string> a{"push", "-v", "--db", (tmp / db).string(), "--dir", tree};
    a.insert(a.end(), extra.begin(), extra.end());
    return run_cli(a, env);
  };
  const std::string cache = (tmp / "cache").string();
  auto first = push("a.db", {"--cache-dir", cache});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find(" files (0 cached, "), std::string::npos) << first.err;
  auto second = push("b.db", {"--cache-dir", cache});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find(" files (6 cached, "), std::string::npos) << second.err;
  const std::string sql = "SELECT test_id, kind FROM flakegrab_markers ORDER BY 1, 2";
  EXPECT_EQ(query(tmp / "b.db", sql), query(tmp / "a.db", sql));
  EXPECT_NE(query(tmp / "a.db", sql), "");

  auto none = push("c.db", {});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_EQ(none.err.find(" cached, "), std::string::npos) << none.err;
  auto off = push("d.db", {"--cache-dir", (tmp / "off").string(), "--no-cache"});
  ASSERT_EQ(off.exit_code, 0) << off.err;
  EXPECT_FALSE(std::filesystem::exists(tmp / "off" / "scan"));
  EXPECT_FALSE(std::filesystem::exists(tmp / "xdg"));
}

TEST(PushCli, MultiBranchDumpDocumentPushesEachBranch) {
  TempDir tmp;
  GitRepoBuilder repo(tmp / "origin");
  repo.write("main", "tests/test_a.py",
             "import pytest\n\n@pytest.mark.skip\ndef test_a():\n    pass\n");
  repo.commit("main");
  repo.branch_from("dev", "main");
  repo.write("dev", "tests/test_b.py",
             "import pytest\n\n@pytest.mark.xfail\ndef test_b():\n    pass\n");
  repo.commit("dev");
  auto dump = run_cli(
      {"dump", "--cache-dir", (tmp / "cache").string(), repo.path().string(), "main", "dev"});
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  write_file(tmp / "dump.json", dump.out);
  auto db = tmp / "h.db";
  auto r = run_cli({"push", "--db", db.string(), "--from", (tmp / "dump.json").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(query(db, "SELECT branch, markers FROM flakegrab_scans ORDER BY branch"),
            "dev|2\nmain|1\n");

  write_file(tmp / "bad.json", R"({"schema_version": 1, "markers": [{"test_id": 3}]})");
  auto bad = run_cli({"push", "--db", db.string(), "--from", (tmp / "bad.json").string()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("bad.json: "), std::string::npos) << bad.err;
  EXPECT_EQ(query(db, "SELECT count(*) FROM flakegrab_scans"), "2\n");
}

TEST(PushCli, RepositoryListPushesWhatCouldBeScanned) {
  TempDir tmp;
  GitRepoBuilder repo(tmp / "origin");
  repo.write("main", "tests/test_a.py",
             "import pytest\n\n@pytest.mark.skip\ndef test_a():\n    pass\n");
  repo.commit("main");
  write_file(tmp / "repos.txt",
             repo.path().string() + " main\n" + (tmp / "missing").string() + " main\n");
  auto db = tmp / "h.db";
  auto r = run_cli({"push", "--db", db.string(), "--cache-dir", (tmp / "cache").string(), "--repos",
                    (tmp / "repos.txt").string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find((tmp / "missing").string()), std::string::npos) << r.err;
  EXPECT_EQ(query(db, "SELECT branch, markers FROM flakegrab_scans"), "main|1\n");
}

TEST(PushCli, FailuresWriteNothingAndExitNonZero) {
  TempDir tmp;
  auto db = tmp / "h.db";
  // A missing branch: nothing scanned, nothing written.
  GitRepoBuilder repo(tmp / "origin");
  repo.write("main", "tests/test_a.py", "def test_a():\n    pass\n");
  repo.commit("main");
  auto r = run_cli({"push", "--db", db.string(), "--cache-dir", (tmp / "cache").string(),
                    repo.path().string(), "no-such-branch"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(query(db, "SELECT count(*) FROM flakegrab_scans"), "0\n");

  // An unreachable database is named, before any scanning.
  auto bad = run_cli({"push", "--db", (tmp / "no/such/dir/h.db").string(), "--dir",
                      (fixtures_dir() / "repo").string()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("no/such/dir/h.db"), std::string::npos) << bad.err;
  EXPECT_EQ(bad.err.find('\n'), bad.err.size() - 1) << "one line: " << bad.err;

  // A database URL with a password never echoes it.
  auto pg = run_cli({"push", "--db", "postgresql://u:s3cr3t-pw@127.0.0.1:1/db", "--dir",
                     (fixtures_dir() / "repo").string()});
  EXPECT_NE(pg.exit_code, 0);
  EXPECT_EQ(pg.err.find("s3cr3t-pw"), std::string::npos) << pg.err;

  auto none = run_cli({"push", "--db", db.string()});
  EXPECT_EQ(none.exit_code, 2);
}

// push with history inputs: the scan's verdicts land in flakegrab_verdicts with the columns and
// values correlate's csv gives for the same inputs; a history that cannot be read writes nothing.
std::string history(const std::string& rel) {
  return (fixtures_dir() / "history" / rel).string();
}

// Judged at settings the fixture's three runs can meet (see correlate_cli_test.cpp).
const std::vector<std::string> kJudge = {
    "--junit", history("junit"),  "--as-of", "2026-05-22",      "--confidence",
    "0.3",     "--max-fail-rate", "0.2",     "--max-mute-days", "30"};

std::vector<std::string> with(std::vector<std::string> head, const std::vector<std::string>& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

TEST(PushVerdictsCli, StoresCorrelatesCsvRowsWithTheScan) {
  TempDir tmp;
  auto db = tmp / "h.db";
  auto r =
      run_cli(with({"push", "--db", "sqlite:" + db.string(), "--dir", history("repo")}, kJudge));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto csv = run_cli(with({"correlate", "--scan-dir", history("repo"), "--format", "csv"}, kJudge));
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  std::istringstream lines(csv.out);
  std::string header;
  std::getline(lines, header);
  int rows = 0;
  for (std::string line; std::getline(lines, line);) ++rows;
  EXPECT_NE(r.err.find(", " + std::to_string(rows) + " verdict(s) written"), std::string::npos)
      << r.err;

  // Same columns in the same order, after the scan's key.
  std::string cols;
  for (std::string row : {query(db, "SELECT name FROM pragma_table_info('flakegrab_verdicts')")})
    cols = row;
  std::string joined;
  std::istringstream names(cols);
  int skipped = 0;
  for (std::string n; std::getline(names, n);)
    if (skipped++ >= 4) joined += (joined.empty() ? "" : ",") + n;
  EXPECT_EQ(joined, header);

  // Same verdicts, ages and expiry per test.
  auto pick = [](const std::string& text, const std::vector<int>& fields, char sep) {
    std::string out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      // RFC 4180 cells (correlate quotes a cell holding a comma); no line breaks in these.
      std::vector<std::string> cells(1);
      bool quoted = false;
      for (size_t i = 0; i < line.size(); ++i) {
        char ch = line[i];
        if (quoted && ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
          cells.back() += '"';
          ++i;
        } else if (ch == '"') {
          quoted = !quoted;
        } else if (ch == sep && !quoted) {
          cells.emplace_back();
        } else {
          cells.back() += ch;
        }
      }
      for (int f : fields) out += (f < static_cast<int>(cells.size()) ? cells[f] : "?") + "|";
      out += "\n";
    }
    return out;
  };
  std::string from_db = query(db,
                              "SELECT test_id, verdict, runs, days_muted, expired FROM "
                              "flakegrab_verdicts ORDER BY test_id, history_branch");
  EXPECT_NE(from_db.find("tests/test_checkout.py::test_refund|keep|3|2674|1"), std::string::npos)
      << from_db;
  std::string body = csv.out.substr(csv.out.find('\n') + 1);
  // test_id, verdict, runs, days_muted: columns 0, 2, 11, 30 of the csv (names checked above).
  std::string from_csv = pick(body, {0, 2, 11, 30}, ',');
  std::string db_cells = pick(from_db, {0, 1, 2, 3}, '|');
  EXPECT_EQ(db_cells, from_csv);
  EXPECT_EQ(query(db, "SELECT count(DISTINCT scanned_at) FROM flakegrab_verdicts"), "1\n");
  EXPECT_EQ(query(db,
                  "SELECT count(*) FROM flakegrab_verdicts v JOIN flakegrab_scans s ON"
                  " v.scanned_at = s.scanned_at AND v.repo = s.repo AND v.branch = s.branch"
                  " AND v.commit_sha = s.commit_sha"),
            std::to_string(rows) + "\n");
}

TEST(PushVerdictsCli, HistoryThatCannotBeReadWritesNothing) {
  TempDir tmp;
  auto db = tmp / "h.db";
  auto r = run_cli({"push", "--db", "sqlite:" + db.string(), "--dir", history("repo"), "--junit",
                    (tmp / "missing/*.xml").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("flakegrab: "), std::string::npos) << r.err;
  EXPECT_EQ(query(db, "SELECT count(*) FROM flakegrab_scans"), "0\n");
  // Ticket and age options judge verdicts: alone they are a mistake, named.
  r = run_cli(
      {"push", "--db", "sqlite:" + db.string(), "--dir", history("repo"), "--max-mute-days", "30"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--max-mute-days"), std::string::npos) << r.err;
  EXPECT_EQ(query(db, "SELECT count(*) FROM flakegrab_scans"), "0\n");
}

}  // namespace
}  // namespace flakegrab::test
