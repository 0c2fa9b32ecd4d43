#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include <nlohmann/json.hpp>

#include "tests/support/paths.h"
#include "tests/support/process.h"

namespace flakegrab::test {
namespace {

namespace fs = std::filesystem;

TEST(ScanCli, FixturesRepoPrintsMarkers) {
  auto r = run_cli({"scan", (fixtures_dir() / "repo").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["generator"]["name"], "flakegrab");
  bool found = false;
  for (const auto& m : j["markers"])
    if (m["name"] == "xfailflake" && m["ticket"] == "DCOS-123") found = true;
  EXPECT_TRUE(found) << r.out;
  EXPECT_GE(j["stats"]["parse_errors"].get<int>(), 1);
  EXPECT_EQ(j["stats"]["skipped_by_reason"]["not utf-8"], 1);
}

// --cache-dir: the second scan takes every file from the cache and prints the same markers.
TEST(ScanCli, CacheDirRescanPrintsTheSameMarkersFromTheCache) {
  TempDir tmp;
  const std::vector<std::string> args{"scan", "--cache-dir", (tmp / "cache").string(),
                                      (fixtures_dir() / "repo").string()};
  auto first = run_cli(args);
  auto second = run_cli(args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(second.exit_code, 0) << second.err;
  auto a = nlohmann::json::parse(first.out), b = nlohmann::json::parse(second.out);
  EXPECT_EQ(a["markers"], b["markers"]);
  EXPECT_EQ(a["stats"]["files_cached"], 0);
  EXPECT_GT(b["stats"]["files_cached"].get<int>(), 5);
  EXPECT_EQ(b["stats"]["files_parsed"], 0);
  EXPECT_EQ(b["stats"]["files_relinked"], 0);
  EXPECT_TRUE(fs::exists(tmp / "cache" / "scan"));
}

// A helper's mark changes: the test file using it is re-linked, not parsed, and says so.
TEST(ScanCli, CacheDirRescanAfterAHelperChangeReportsTheReLinkedFiles) {
  TempDir tmp;
  write_file(tmp / "tree/helpers.py",
             "import pytest\n\nslow = pytest.mark.skip(reason=\"slow\")\n");
  write_file(tmp / "tree/test_a.py",
             "from helpers import slow\n\n\n@slow\ndef test_a():\n    pass\n");
  const std::vector<std::string> args{"scan", "-v", "--cache-dir", (tmp / "cache").string(),
                                      (tmp / "tree").string()};
  ASSERT_EQ(run_cli(args).exit_code, 0);
  write_file(tmp / "tree/helpers.py",
             "import pytest\n\nslow = pytest.mark.skip(reason=\"very slow\")\n");
  auto r = run_cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["stats"]["files_relinked"], 1);
  EXPECT_EQ(j["stats"]["files_parsed"], 0);
  EXPECT_EQ(j["markers"][0]["reason"], "very slow");
  EXPECT_NE(r.err.find("(1 cached (1 re-linked)"), std::string::npos) << r.err;
}

TEST(ScanCli, BadTreeIsReportedNotFatal) {
  TempDir dir;
  write_file(dir / "tests/test_ok.py",
             "import pytest\n@pytest.mark.xfail(reason='r')\ndef test_a(): pass\n");
  write_file(dir / "tests/test_bin.py", std::string("import\0\0", 8));
  write_file(dir / "tests/test_latin.py", "# caf\xe9\n");
  write_file(dir / "tests/test_huge.py", "import pytest\n" + std::string(5000, '#') + "\n");
  write_file(dir / "tests/helpers.py", "import pytest\nX = pytest.mark.skip\n");
  fs::create_symlink(dir / "tests/test_ok.py", dir / "tests/test_link.py");
  auto r = run_cli({"scan", "--max-file-size", "1000", "--threads", "2", dir.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["markers"].size(), 1u);
  auto by = j["stats"]["skipped_by_reason"];
  EXPECT_EQ(by["binary"], 1);
  EXPECT_EQ(by["not utf-8"], 1);
  EXPECT_EQ(by["too large"], 1);
  EXPECT_EQ(by["symlink"], 1);
  EXPECT_EQ(j["stats"]["files_seen"], 5);

  auto all = nlohmann::json::parse(
      run_cli({"scan", "--all-files", "--max-file-size", "1000", dir.path().string()}).out);
  EXPECT_EQ(all["stats"]["files_seen"], 6);
}

TEST(ScanCli, FilesWithParseErrorsAreNamedInStatsAndOnStderr) {
  TempDir dir;
  const std::string broken = "import pytest\n@pytest.mark.skip\ndef test_b(:\n    pass\n";
  write_file(dir / "tests/test_ok.py", "import pytest\n@pytest.mark.skip\ndef test_a(): pass\n");
  write_file(dir / "tests/test_broken.py", broken);
  write_file(dir / "tests/sub/test_also_broken.py", broken);
  auto r = run_cli({"scan", dir.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;  // a warning: what could be recovered is reported
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["stats"]["parse_errors"], 2);
  EXPECT_EQ(j["stats"]["parse_error_files"],
            nlohmann::json::parse(R"(["tests/sub/test_also_broken.py","tests/test_broken.py"])"));
  const std::string prefix = "flakegrab: scan: " + dir.path().string() + ": ";
  EXPECT_EQ(r.err, prefix + "tests/sub/test_also_broken.py: parse error (markers are what the " +
                       "parser recovered)\n" + prefix +
                       "tests/test_broken.py: parse error (markers are what the parser "
                       "recovered)\n");
}

TEST(ScanCli, CustomMarkerAndSeveralPaths) {
  TempDir a, b;
  // The --marker name is found written as pytest.mark.NAME and as a mark imported from a
  // helper module of the tree (`import q` / `@q.quarantined`).
  write_file(a / "test_a.py",
             "import pytest\n\n@pytest.mark.quarantined(reason=\"flaky on CI\")\n"
             "def test_a(): pass\n");
  write_file(a / "q.py", "import pytest\nquarantined = pytest.mark.quarantined(reason=\"q\")\n");
  write_file(a / "test_q.py", "import q\n\n@q.quarantined\ndef test_q(): pass\n");
  write_file(b / "test_b.py", "import pytest\n\n@pytest.mark.quarantined\ndef test_b(): pass\n");
  auto r = run_cli({"scan", "--marker", "quarantined=skip", a.path().string(), b.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["scans"].size(), 2u);
  ASSERT_EQ(j["scans"][0]["markers"].size(), 2u) << r.out;
  const auto& m = j["scans"][0]["markers"][0];
  EXPECT_EQ(m["name"], "quarantined");
  EXPECT_EQ(m["kind"], "skip");
  EXPECT_EQ(m["test_id"], "test_a.py::test_a");
  EXPECT_EQ(m["reason"], "flaky on CI");
  const auto& imported = j["scans"][0]["markers"][1];
  EXPECT_EQ(imported["name"], "quarantined");
  EXPECT_EQ(imported["kind"], "skip");
  EXPECT_EQ(imported["test_id"], "test_q.py::test_q");
  EXPECT_EQ(imported["origin"], "q.py:2");
  // The second path is scanned with the same --marker.
  ASSERT_EQ(j["scans"][1]["markers"].size(), 1u) << r.out;
  EXPECT_EQ(j["scans"][1]["markers"][0]["kind"], "skip");
  EXPECT_EQ(j["scans"][1]["markers"][0]["test_id"], "test_b.py::test_b");
  // Without --marker, quarantined still says mute by its name: kind custom, whose positionals
  // are no reason (the keyword is).
  auto plain = run_cli({"scan", a.path().string()});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const auto unconfigured = nlohmann::json::parse(plain.out)["markers"];
  ASSERT_EQ(unconfigured.size(), 2u) << plain.out;
  for (const auto& u : unconfigured) EXPECT_EQ(u["kind"], "custom") << plain.out;
  EXPECT_EQ(unconfigured[0]["reason"], "flaky on CI");
}

// Runs flakegrab as an unprivileged user, so chmod 000 holds (root reads through it).
RunResult run_cli_unprivileged(const std::vector<std::string>& args) {
  if (::geteuid() != 0) return run_cli(args);
  std::vector<std::string> full{"--reuid=nobody", "--regid=nogroup", "--clear-groups",
                                FLAKEGRAB_BINARY};
  full.insert(full.end(), args.begin(), args.end());
  return run("/usr/bin/setpriv", full);
}

// Issue 8 item 6: unreadable files and directories are named, counted and make the scan
// incomplete (exit 1, "complete": false); an unreadable root is an error.
TEST(ScanCli, UnreadableEntriesAreNamedCountedAndMakeTheScanIncomplete) {
  TempDir dir;
  write_file(dir / "tests/test_ok.py",
             "import pytest\n@pytest.mark.xfail(reason='r')\ndef test_a(): pass\n");
  write_file(dir / "tests/test_secret.py",
             "import pytest\n@pytest.mark.skip\ndef test_s(): pass\n");
  write_file(dir / "tests/private/test_hidden.py", "def test_h(): pass\n");
  fs::permissions(dir.path(), fs::perms::all);  // the unprivileged user must reach the tree
  fs::permissions(dir / "tests", fs::perms::all);
  fs::permissions(dir / "tests/test_ok.py", fs::perms::all);
  fs::permissions(dir / "tests/test_secret.py", fs::perms::none);
  fs::permissions(dir / "tests/private", fs::perms::none);

  auto r = run_cli_unprivileged({"scan", dir.path().string()});
  fs::permissions(dir / "tests/private", fs::perms::owner_all);  // so TempDir can clean up
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("tests/test_secret.py: unreadable"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("tests/private/: unreadable"), std::string::npos) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["complete"], false);
  EXPECT_EQ(j["stats"]["skipped_by_reason"]["unreadable"], 2) << r.out;
  EXPECT_EQ(j["markers"].size(), 1u);

  fs::permissions(dir.path(), fs::perms::none);
  auto root = run_cli_unprivileged({"scan", dir.path().string()});
  fs::permissions(dir.path(), fs::perms::owner_all);
  EXPECT_EQ(root.exit_code, 2) << root.err;
  EXPECT_NE(root.err.find(dir.path().string() + ": cannot read"), std::string::npos) << root.err;
}

TEST(ScanCli, CompleteScanSaysSoAndRootMayBeASymlink) {
  TempDir dir;
  write_file(dir / "real/tests/test_ok.py",
             "import pytest\n@pytest.mark.xfail(reason='r')\ndef test_a(): pass\n");
  fs::create_directory_symlink(dir / "real", dir / "link");
  auto r = run_cli({"scan", (dir / "link").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["complete"], true);
  EXPECT_EQ(j["markers"].size(), 1u);
}

// Issue 9's collection rules, as a user sees them: the repository's pytest.ini decides which
// directories, files, classes and functions are tests.
TEST(ScanCli, RepositoryPytestConfigDecidesWhatIsCollected) {
  TempDir dir;
  write_file(dir / "pytest.ini",
             "[pytest]\ntestpaths = tests\nnorecursedirs = .* slow\npython_classes = Describe\n"
             "python_functions = it_\n");
  const char* body =
      "import pytest\n\nclass DescribeA:\n    @pytest.mark.skip\n    def it_works(self): pass\n"
      "\nclass TestB:\n    @pytest.mark.skip\n    def it_hides(self): pass\n"
      "\n@pytest.mark.xfail\ndef test_not_a_test(): pass\n";
  write_file(dir / "tests/test_a.py", body);
  write_file(dir / "tests/slow/test_slow.py", body);
  write_file(dir / "tests/build/test_built.py", body);  // build/ is entered: defaults replaced
  write_file(dir / "other/test_other.py", body);        // outside testpaths
  auto r = run_cli({"scan", dir.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  std::vector<std::string> got;
  for (const auto& m : j["markers"]) got.push_back(m["test_id"]);
  EXPECT_EQ(got, (std::vector<std::string>{"tests/build/test_built.py::DescribeA::it_works",
                                           "tests/test_a.py::DescribeA::it_works"}))
      << r.out;
  EXPECT_EQ(j["stats"]["files_seen"], 2);
}

// Files Python compiles are scanned with Python's line numbers: a PEP 263 cookie's encoding,
// a UTF-8 BOM, CR-only line ends (old Mac files), paths longer than PATH_MAX.
TEST(ScanCli, CodingCookiesBomsCrLineEndsAndLongPaths) {
  TempDir dir;
  write_file(dir / "test_latin.py",
             "# -*- coding: latin-1 -*-\nimport pytest\n\n@pytest.mark.skip(reason='caf\xe9')\n"
             "def test_l(): pass\n");
  write_file(dir / "test_cp.py",
             "#!/usr/bin/env python\n# vim: fileencoding=cp1252\nimport pytest\n"
             "@pytest.mark.xfail(reason='\x93q\x94')\ndef test_c(): pass\n");
  write_file(dir / "test_bom.py",
             "\xEF\xBB\xBFimport pytest\n@pytest.mark.skip\ndef test_b(): pass\n");
  write_file(dir / "test_mac.py",
             "import pytest\r\r@pytest.mark.skip(reason='r')\rdef test_m():\r  pass\r");
  write_file(dir / "test_unknown.py", "# coding: klingon\nx = '\xe9'\n");
  // A path of ~5000 bytes below the root: longer than PATH_MAX.
  fs::path deep = dir.path();
  std::string rel;
  for (int i = 0; i < 24; ++i) rel += std::string(200, 'd') + "/";
  {
    int fd = ::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY);
    ASSERT_GE(fd, 0);
    for (int i = 0; i < 24; ++i) {
      std::string name(200, 'd');
      ::mkdirat(fd, name.c_str(), 0755);
      int next = ::openat(fd, name.c_str(), O_RDONLY | O_DIRECTORY);
      ::close(fd);
      ASSERT_GE(next, 0);
      fd = next;
    }
    int f = ::openat(fd, "test_deep.py", O_WRONLY | O_CREAT, 0644);
    std::string src = "import pytest\n@pytest.mark.skip(reason='deep')\ndef test_d(): pass\n";
    ASSERT_EQ(::write(f, src.data(), src.size()), static_cast<ssize_t>(src.size()));
    ::close(f);
    ::close(fd);
  }
  auto r = run_cli({"scan", dir.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  std::map<std::string, nlohmann::json> by_file;
  for (const auto& m : j["markers"]) by_file[m["file"]] = m;
  ASSERT_EQ(by_file.size(), 5u) << r.out;
  EXPECT_EQ(by_file["test_latin.py"]["line"], 4);
  EXPECT_EQ(by_file["test_latin.py"]["reason"], "caf\xc3\xa9");
  EXPECT_EQ(by_file["test_cp.py"]["line"], 4);
  EXPECT_EQ(by_file["test_cp.py"]["reason"], "\xe2\x80\x9cq\xe2\x80\x9d");
  EXPECT_EQ(by_file["test_bom.py"]["line"], 2);
  EXPECT_EQ(by_file["test_mac.py"]["line"], 3);
  EXPECT_EQ(by_file[rel + "test_deep.py"]["reason"], "deep");
  EXPECT_EQ(j["stats"]["skipped_by_reason"]["unknown encoding"], 1);
  EXPECT_EQ(j["stats"]["skipped"].size(), 1u) << r.out;
}

TEST(ScanCli, BadInputsExitTwo) {
  auto r = run_cli({"scan", "/nonexistent/flakegrab-path"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/flakegrab-path"), std::string::npos);
  TempDir d;
  r = run_cli({"scan", "--marker", "oops", d.path().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("oops"), std::string::npos);
  r = run_cli({"scan", "--config", (d / "nope.ini").string(), d.path().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nope.ini"), std::string::npos);
}

// The crash file of issue #8 is skipped with its reason, and the test beside it still found.
TEST(ScanCli, AFileNestedDeeperThanPythonAllowsIsSkippedAndNamed) {
  TempDir dir;
  std::string deep = "import pytest\n\n@pytest.mark.xfail(";
  for (int i = 0; i < 33000; ++i) deep += "[(";
  write_file(dir / "test_deep.py", deep + "\ndef test_broken(): pass\n");
  write_file(dir / "test_ok.py", "import pytest\n@pytest.mark.skip\ndef test_ok(): pass\n");
  auto r = run_cli({"scan", dir.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["markers"].size(), 1u);
  EXPECT_EQ(doc["markers"][0]["test_id"], "test_ok.py::test_ok");
  EXPECT_EQ(doc["stats"]["skipped"][0]["file"], "test_deep.py");
  EXPECT_EQ(doc["stats"]["skipped"][0]["reason"], "too deeply nested");
}

}  // namespace
}  // namespace flakegrab::test
