#include <gtest/gtest.h>

#include "base/redact_url.h"
#include "grabber/git/url.h"
#include "grabber/repo.h"

namespace flakegrab {
namespace {

TEST(RedactUrl, StripsHttpsUserinfo) {
  EXPECT_EQ(redact_url("https://x-access-token:s3cr3t@github.com/o/r.git"),
            "https://github.com/o/r.git");
  EXPECT_EQ(redact_url("https://s3cr3t@github.com/o/r"), "https://github.com/o/r");
}

TEST(RedactUrl, KeepsSshUserDropsPassword) {
  EXPECT_EQ(redact_url("ssh://git@host/o/r.git"), "ssh://git@host/o/r.git");
  EXPECT_EQ(redact_url("ssh://git:pw@host/o/r.git"), "ssh://git@host/o/r.git");
  EXPECT_EQ(redact_url("git@github.com:o/r.git"), "git@github.com:o/r.git");
}

TEST(RedactUrl, CleansUrlsInsideMessages) {
  EXPECT_EQ(redact_url("failed to fetch 'https://u:tok@h/x' (401)"),
            "failed to fetch 'https://h/x' (401)");
  EXPECT_EQ(redact_url("no url here"), "no url here");
}

TEST(ParseLocation, ClassifiesRepoForms) {
  auto https = git::parse_location("https://user:tok%40en@example.com/o/r.git");
  EXPECT_TRUE(https.remote);
  EXPECT_EQ(https.url, "https://example.com/o/r.git");
  EXPECT_EQ(https.username.value_or(""), "user");
  EXPECT_EQ(https.password.value_or(""), "tok@en");

  EXPECT_TRUE(git::parse_location("file:///srv/r.git").remote);
  EXPECT_TRUE(git::parse_location("ssh://git@h/r.git").remote);
  auto scp = git::parse_location("git@github.com:o/r.git");
  EXPECT_TRUE(scp.remote);
  EXPECT_EQ(scp.username.value_or(""), "git");
  auto local = git::parse_location("some/dir");
  EXPECT_FALSE(local.remote);
  EXPECT_TRUE(std::filesystem::path(local.url).is_absolute());
}

TEST(MirrorName, StableAndDistinct) {
  EXPECT_EQ(git::mirror_name("https://h/o/r.git"), git::mirror_name("https://h/o/r.git"));
  EXPECT_NE(git::mirror_name("https://h/o/r.git"), git::mirror_name("https://h/p/r.git"));
  EXPECT_EQ(git::mirror_name("https://h/o/r.git").rfind("r-", 0), 0u);
}

// Mirror names are directory names in every user's cache: a change renames them all, so it
// must be deliberate (and bump the cache format, docs/repo.md). Hash computed independently.
TEST(MirrorName, StandardFnvOfTheUrl) {
  EXPECT_EQ(git::mirror_name("https://github.com/o/r.git"), "r-9ccb49d18a4bf047.git");
}

}  // namespace
}  // namespace flakegrab
