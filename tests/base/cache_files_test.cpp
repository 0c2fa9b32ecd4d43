#include <gtest/gtest.h>

#include <cstdio>

#include "base/cache_files.h"
#include "support/process.h"

namespace flakegrab {
namespace {

using test::TempDir;

TEST(CheckedFile, RoundTripsAndRejectsDamage) {
  TempDir dir;
  auto f = dir / "r.bin";
  write_checked_file(f, "payload bytes");
  EXPECT_EQ(read_checked_file(f).value_or(""), "payload bytes");

  std::string raw = test::read_file(f);
  raw[raw.size() - 2] ^= 0x20;  // flip one payload bit
  test::write_file(f, raw);
  EXPECT_FALSE(read_checked_file(f).has_value());

  test::write_file(f, raw.substr(0, raw.size() - 3));  // truncated
  EXPECT_FALSE(read_checked_file(f).has_value());
  EXPECT_FALSE(read_checked_file(dir / "missing").has_value());
}

TEST(CacheLog, AppendsAndKeepsLatestValue) {
  TempDir dir;
  auto f = dir / "log";
  append_log(f, {{"a", "1"}, {"b", "2"}});
  append_log(f, {{"a", "3"}});
  auto log = read_log(f);
  EXPECT_FALSE(log.corrupt);
  EXPECT_EQ(log.records.size(), 2u);
  EXPECT_EQ(log.records["a"], "3");
  EXPECT_EQ(log.record_count, 3u);
}

TEST(CacheLog, TornTailIsDetectedAndValidPrefixKept) {
  TempDir dir;
  auto f = dir / "log";
  append_log(f, {{"a", "1"}, {"b", "2"}});
  std::string raw = test::read_file(f);
  test::write_file(f, raw.substr(0, raw.size() - 1));
  auto log = read_log(f);
  EXPECT_TRUE(log.corrupt);
  EXPECT_EQ(log.records.size(), 1u);
  EXPECT_EQ(log.records["a"], "1");

  rewrite_log(f, log.records);
  auto again = read_log(f);
  EXPECT_FALSE(again.corrupt);
  EXPECT_EQ(again.records.size(), 1u);
}

TEST(CacheLog, GarbageFileIsCorruptNotTrusted) {
  TempDir dir;
  auto f = dir / "log";
  test::write_file(f, "this is not a cache log at all");
  auto log = read_log(f);
  EXPECT_TRUE(log.corrupt);
  EXPECT_TRUE(log.records.empty());
}

TEST(LogIndex, GetsTheLatestValueOfEachKeyFromDisk) {
  TempDir dir;
  auto f = dir / "log";
  append_log(f, {{"a", "1"}, {"b", "2"}});
  append_log(f, {{"a", "stale no more"}});
  LogIndex log(f);
  EXPECT_FALSE(log.corrupt());
  EXPECT_EQ(log.size(), 2u);
  EXPECT_EQ(log.record_count(), 3u);
  EXPECT_EQ(log.get("a").value_or(""), "stale no more");
  EXPECT_EQ(log.get("b").value_or(""), "2");
  EXPECT_FALSE(log.get("c").has_value());
  EXPECT_FALSE(LogIndex(dir / "missing").corrupt());
}

TEST(LogIndex, ATornOrDamagedRecordEndsTheReadablePart) {
  TempDir dir;
  auto f = dir / "log";
  append_log(f, {{"a", "first"}, {"b", "second"}, {"c", "third"}});
  const std::string raw = test::read_file(f);
  test::write_file(f, raw.substr(0, raw.size() - 1));
  {
    LogIndex torn(f);
    EXPECT_TRUE(torn.corrupt());
    EXPECT_EQ(torn.get("b").value_or(""), "second");
    EXPECT_FALSE(torn.get("c").has_value());
  }
  std::string damaged = raw;
  damaged[raw.find("second")] ^= 0x20;
  test::write_file(f, damaged);
  LogIndex log(f);
  EXPECT_TRUE(log.corrupt());
  EXPECT_EQ(log.get("a").value_or(""), "first");
  EXPECT_FALSE(log.get("b").has_value());
  EXPECT_FALSE(log.get("c").has_value()) << "nothing after a damaged record is trusted";
}

TEST(LogIndex, AValueDamagedAfterIndexingIsNotTrusted) {
  TempDir dir;
  auto f = dir / "log";
  append_log(f, {{"a", "value"}});
  LogIndex log(f);
  std::string raw = test::read_file(f);
  raw[raw.find("value")] = 'V';
  {
    std::FILE* out = std::fopen(f.c_str(), "r+");  // in place: the same file the index reads
    ASSERT_NE(out, nullptr);
    std::fwrite(raw.data(), 1, raw.size(), out);
    std::fclose(out);
  }
  EXPECT_FALSE(log.get("a").has_value());
}

TEST(LogIndex, ReadsWhatItIndexedThroughAConcurrentRewrite) {
  TempDir dir;
  auto f = dir / "log";
  append_log(f, {{"a", "old"}, {"b", "kept"}});
  LogIndex log(f);
  rewrite_log(f, std::unordered_map<std::string, std::string>{{"a", "new"}});
  append_log(f, {{"c", "appended"}});
  EXPECT_EQ(log.get("a").value_or(""), "old");
  EXPECT_EQ(log.get("b").value_or(""), "kept");
  EXPECT_FALSE(log.get("c").has_value());
}

TEST(LogIndex, RewritingKeepsOldRecordsUnderFreshOnes) {
  TempDir dir;
  auto f = dir / "log";
  append_log(f, {{"a", "1"}, {"b", "2"}});
  append_log(f, {{"a", "3"}, {"a", "4"}});
  {
    LogIndex old(f);
    rewrite_log(f, old, {{"b", "fresh"}, {"z", std::string(3 << 20, 'z')}});
  }
  auto log = read_log(f);
  EXPECT_FALSE(log.corrupt);
  EXPECT_EQ(log.record_count, 3u);
  EXPECT_EQ(log.records["a"], "4");
  EXPECT_EQ(log.records["b"], "fresh");
  EXPECT_EQ(log.records["z"].size(), 3u << 20);
}

TEST(LogIndex, AppendsToTheFileItReadsAndIndexesWhatOthersAppended) {
  TempDir dir;
  auto f = dir / "sub" / "log";
  LogIndex log(f, /*for_append=*/true);
  EXPECT_FALSE(log.corrupt());
  ASSERT_TRUE(log.append({{"a", "1"}}));
  append_log(f, {{"b", "2"}});  // another run
  ASSERT_TRUE(log.append({{"a", "3"}}));
  EXPECT_EQ(log.get("a").value_or(""), "3");
  EXPECT_EQ(log.get("b").value_or(""), "2");
  EXPECT_EQ(log.record_count(), 3u);
  auto back = read_log(f);
  EXPECT_FALSE(back.corrupt);
  EXPECT_EQ(back.records.size(), 2u);

  {
    LogIndex replaced(f, /*for_append=*/true);
    rewrite_log(f, std::unordered_map<std::string, std::string>{{"r", "5"}});  // another run
    EXPECT_FALSE(replaced.append({{"lost", "6"}})) << "the file at the path is another one now";
    EXPECT_EQ(read_log(f).records.size(), 1u);
  }
  test::write_file(f, test::read_file(f) + "torn");
  LogIndex damaged(f, /*for_append=*/true);
  EXPECT_TRUE(damaged.corrupt());
  EXPECT_FALSE(damaged.append({{"c", "4"}})) << "nothing is appended after a damaged record";
  EXPECT_FALSE(LogIndex(f).get("c").has_value());
}

}  // namespace
}  // namespace flakegrab
