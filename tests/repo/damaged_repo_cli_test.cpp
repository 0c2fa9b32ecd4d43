// Repositories that lack or cannot read objects they refer to (#15 item 8): the real binary names
// the repository and the object, exits non-zero, and still reports the refs and repositories it
// could read.
#include <git2.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/git_repo_builder.h"
#include "support/process.h"

namespace flakegrab::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string marked(const std::string& name) {
  return "import pytest\n\n@pytest.mark.skip\ndef " + name + "():\n    pass\n";
}

struct DamagedRepo : ::testing::Test {
  TempDir dir;
  fs::path repo = dir / "proj.git";
  std::unique_ptr<GitRepoBuilder> b;
  void SetUp() override {
    b = std::make_unique<GitRepoBuilder>(repo, true);
    // main's tests/ holds test_a and test_c, other's test_a and test_b: distinct trees.
    b->write("main", "tests/test_a.py", marked("test_a"));
    b->commit("main");
    b->branch_from("other", "main");
    b->write("other", "tests/test_b.py", marked("test_b"));
    b->commit("other");
    b->write("main", "tests/test_c.py", marked("test_c"));
    b->commit("main");
  }
  std::string sha_of(const std::string& spec) {
    git_object* obj = nullptr;
    EXPECT_EQ(git_revparse_single(&obj, b->repo(), spec.c_str()), 0) << spec;
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, git_object_id(obj));
    git_object_free(obj);
    return hex;
  }
  fs::path loose(const std::string& sha) {
    return repo / "objects" / sha.substr(0, 2) / sha.substr(2);
  }
  void remove_object(const std::string& sha) { ASSERT_TRUE(fs::remove(loose(sha))) << sha; }
  void corrupt_object(const std::string& sha) {
    fs::path f = loose(sha);
    ASSERT_TRUE(fs::exists(f)) << f;
    std::string raw = read_file(f);
    for (std::size_t i = raw.size() / 2; i < raw.size(); ++i) raw[i] = static_cast<char>(~raw[i]);
    fs::permissions(f, fs::perms::owner_write, fs::perm_options::add);
    write_file(f, raw);
  }
  RunResult dump(std::vector<std::string> args) {
    args.insert(args.begin(), "dump");
    args.push_back("--cache-dir");
    args.push_back((dir / "cache").string());
    return run_cli(args, {{"GITHUB_TOKEN", ""}, {"GIT_TOKEN", ""}});
  }
};

TEST_F(DamagedRepo, AMissingRootTreeFailsItsRefNamingTheObject) {
  const std::string tree = sha_of("main^{tree}");
  remove_object(tree);
  auto r = dump({repo.string(), "main", "other"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::string want =
      "the repository at " + repo.string() + " is incomplete: object " + tree + " missing";
  EXPECT_EQ(r.err, "flakegrab: dump: " + want + "\n");
  auto doc = json::parse(r.out);
  ASSERT_EQ(doc["failed"].size(), 1u) << r.out;
  EXPECT_EQ(doc["failed"][0]["error"], want);
  ASSERT_EQ(doc["scans"].size(), 1u);
  EXPECT_EQ(doc["scans"][0]["branch"], "other");
  EXPECT_TRUE(doc["scans"][0]["complete"].get<bool>());
}

TEST_F(DamagedRepo, AFetchFromASourceMissingAnObjectSaysWhich) {
  const std::string blob = sha_of("main:tests/test_c.py");
  remove_object(blob);
  const std::string url = "file://" + repo.string();
  auto r = dump({url, "main"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err, "flakegrab: dump: the repository at " + url + " is incomplete: object " + blob +
                       " missing\n");
  EXPECT_EQ(r.err.find("cannot read header"), std::string::npos);
}

TEST_F(DamagedRepo, AMissingBlobIsAnUnreadableFileWithTheObjectInItsDetail) {
  const std::string blob = sha_of("main:tests/test_c.py");
  remove_object(blob);
  auto r = dump({repo.string(), "main"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err, "flakegrab: dump: " + repo.string() +
                       ": tests/test_c.py: unreadable (scan incomplete): object " + blob +
                       " missing\n");
  auto doc = json::parse(r.out);
  EXPECT_FALSE(doc["complete"].get<bool>());
  EXPECT_EQ(doc["stats"]["skipped"],
            json::parse(R"([{"file":"tests/test_c.py","reason":"unreadable","detail":"object )" +
                        blob + R"( missing"}])"));
  EXPECT_EQ(doc["markers"].size(), 1u);  // test_a.py is still read
}

TEST_F(DamagedRepo, ACorruptLooseObjectIsNamedAndOtherRefsAndReposStillRun) {
  const std::string tree = sha_of("main:tests");
  corrupt_object(tree);
  auto local = dump({repo.string(), "main", "other"});
  EXPECT_EQ(local.exit_code, 1) << local.err;
  EXPECT_EQ(local.err.find('\n'), local.err.size() - 1) << "one line: " << local.err;
  EXPECT_EQ(local.err.rfind("flakegrab: dump: " + repo.string() +
                                ": tests/: unreadable (scan incomplete): object " + tree +
                                " is corrupt (",
                            0),
            0u)
      << local.err;
  auto doc = json::parse(local.out);
  ASSERT_EQ(doc["scans"].size(), 2u);
  EXPECT_FALSE(doc["scans"][0]["complete"].get<bool>());  // main
  EXPECT_TRUE(doc["scans"][1]["complete"].get<bool>());   // other: its own tests/ tree
  EXPECT_EQ(doc["scans"][1]["markers"].size(), 2u);

  // Fetched over file:// next to a sound repository in one --repos list.
  GitRepoBuilder good(dir / "good.git", true);
  good.write("main", "tests/test_g.py", marked("test_g"));
  good.commit("main");
  const std::string bad_url = "file://" + repo.string();
  write_file(dir / "repos.txt",
             bad_url + " main\nfile://" + (dir / "good.git").string() + " main\n");
  auto list = dump({"--repos", (dir / "repos.txt").string()});
  EXPECT_EQ(list.exit_code, 1) << list.err;
  EXPECT_EQ(list.err.rfind("flakegrab: dump: the repository at " + bad_url +
                               " is damaged: object " + tree + " is corrupt (",
                           0),
            0u)
      << list.err;
  EXPECT_EQ(list.err.find('\n'), list.err.size() - 1) << "one line: " << list.err;
  auto listed = json::parse(list.out);
  ASSERT_EQ(listed["scans"].size(), 1u) << list.out;
  EXPECT_EQ(listed["scans"][0]["markers"][0]["test_id"], "tests/test_g.py::test_g");
  ASSERT_EQ(listed["failed"].size(), 1u);
}

}  // namespace
}  // namespace flakegrab::test
