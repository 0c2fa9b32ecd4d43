#include <gtest/gtest.h>

#include "grabber/git/handles.h"
#include "grabber/git/refs.h"
#include "support/git_repo_builder.h"
#include "support/process.h"

namespace flakegrab::git {
namespace {

using test::GitRepoBuilder;
using test::TempDir;

struct RefsFixture : ::testing::Test {
  TempDir dir;
  GitRepoBuilder b{dir / "src"};
  std::string main_sha, r1_sha, r2_sha;
  void SetUp() override {
    b.write("main", "tests/test_a.py", "def test_a():\n    pass\n");
    main_sha = b.commit("main");
    b.branch_from("release/1.0", "main");
    b.write("release/1.0", "tests/test_b.py", "def test_b():\n    pass\n");
    r1_sha = b.commit("release/1.0");
    b.branch_from("release/2.0", "main");
    b.write("release/2.0", "tests/test_c.py", "def test_c():\n    pass\n");
    r2_sha = b.commit("release/2.0");
    b.tag("v1", r1_sha);
  }
};

TEST_F(RefsFixture, ResolvesNamesGlobsTagsAndShas) {
  auto refs =
      resolve_refs(b.repo(), {"main", "release/*", "v1", main_sha.substr(0, 10)}, false, "src");
  ASSERT_EQ(refs.size(), 5u);
  EXPECT_EQ(refs[0].branch, "main");
  EXPECT_EQ(oid_hex(refs[0].commit), main_sha);
  EXPECT_EQ(refs[1].branch, "release/1.0");
  EXPECT_EQ(refs[1].ref, "release/*");
  EXPECT_EQ(oid_hex(refs[1].commit), r1_sha);
  EXPECT_EQ(refs[2].branch, "release/2.0");
  EXPECT_EQ(oid_hex(refs[2].commit), r2_sha);
  EXPECT_EQ(refs[3].branch, "v1");
  EXPECT_EQ(oid_hex(refs[3].commit), r1_sha);  // annotated tag peeled to its commit
  EXPECT_EQ(oid_hex(refs[4].commit), main_sha);
  for (const auto& r : refs) EXPECT_FALSE(r.error.has_value()) << *r.error;
}

TEST_F(RefsFixture, MissingRefAndEmptyGlobAreErrorsNamingTheRepo) {
  auto refs = resolve_refs(b.repo(), {"nope", "hotfix/*", "main"}, false, "my-repo");
  ASSERT_EQ(refs.size(), 3u);
  ASSERT_TRUE(refs[0].error.has_value());
  EXPECT_NE(refs[0].error->find("my-repo"), std::string::npos);
  EXPECT_NE(refs[0].error->find("nope"), std::string::npos);
  ASSERT_TRUE(refs[1].error.has_value());
  EXPECT_FALSE(refs[2].error.has_value());
}

TEST_F(RefsFixture, AllBranchesListsEachBranchOnce) {
  auto refs = resolve_refs(b.repo(), {"main"}, true, "src");
  ASSERT_EQ(refs.size(), 3u);
  EXPECT_EQ(refs[0].branch, "main");
  EXPECT_EQ(refs[1].branch, "release/1.0");
  EXPECT_EQ(refs[2].branch, "release/2.0");
}

}  // namespace
}  // namespace flakegrab::git
