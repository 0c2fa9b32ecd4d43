#include <gtest/gtest.h>

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

}  // namespace
}  // namespace flakegrab
