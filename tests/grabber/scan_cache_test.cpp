// The per-file scan cache on disk: records come back whole, a record of another layout or a
// damaged log is a miss and is replaced, and a log mostly made of superseded records shrinks.
#include <gtest/gtest.h>

#include "base/cache_files.h"
#include "grabber/git/scan_cache.h"
#include "support/process.h"

namespace flakegrab {
namespace {

using test::TempDir;

CachedFile sample(int i) {
  CachedFile f;
  Marker m;
  m.file = "tests/test_" + std::to_string(i) + ".py";
  m.test_id = m.file + "::TestX::test_y";
  m.line = i;
  m.name = "skip";
  m.kind = MarkerKind::skip;
  m.reason = "r";
  f.markers.markers = {m, m};
  f.markers.parse_error = i % 2 == 1;
  f.depends_on = {{"conftest.py", ""}, {"tests/support.py", std::string(40, 'a') + ":33188"}};
  return f;
}

void expect_same(const std::optional<CachedFile>& got, const CachedFile& want) {
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->markers.markers, want.markers.markers);
  EXPECT_EQ(got->markers.parse_error, want.markers.parse_error);
  EXPECT_EQ(got->depends_on, want.depends_on);
  EXPECT_EQ(got->markers.dependencies,
            (std::vector<std::string>{"conftest.py", "tests/support.py"}));
  EXPECT_EQ(got->skip_reason, want.skip_reason);
}

TEST(DiskScanCache, RecordsComeBackInTheRunAndTheNext) {
  TempDir dir;
  auto f = dir / "files.log";
  CachedFile skipped;
  skipped.skip_reason = "binary";
  {
    git::DiskScanCache cache(f);
    EXPECT_FALSE(cache.get("k1").has_value());
    cache.put("k1", sample(1));
    cache.put("k2", skipped);
    expect_same(cache.get("k1"), sample(1));
    cache.flush();
    expect_same(cache.get("k1"), sample(1));
  }
  git::DiskScanCache again(f);
  expect_same(again.get("k1"), sample(1));
  EXPECT_EQ(again.get("k2").value().skip_reason, "binary");
  EXPECT_FALSE(again.get("k3").has_value());
}

TEST(DiskScanCache, ARecordOfAnotherLayoutIsAMissAndIsReplaced) {
  TempDir dir;
  auto f = dir / "files.log";
  // What a build before the binary records wrote: a msgpack map.
  append_log(f, {{"k1", "\x84\xa1s\xc0"}, {"k2", ""}});
  git::DiskScanCache cache(f);
  EXPECT_FALSE(cache.get("k1").has_value());
  EXPECT_FALSE(cache.get("k2").has_value());
  cache.put("k1", sample(1));
  cache.flush();
  expect_same(git::DiskScanCache(f).get("k1"), sample(1));
}

TEST(DiskScanCache, ADamagedLogIsRewrittenWithWhatVerifies) {
  TempDir dir;
  auto f = dir / "files.log";
  {
    git::DiskScanCache cache(f);
    cache.put("k1", sample(1));
    cache.flush();
  }
  {
    git::DiskScanCache cache(f);
    cache.put("k2", sample(2));
    cache.flush();
  }
  std::string raw = test::read_file(f);
  test::write_file(f, raw.substr(0, raw.size() - 3));  // k2's record torn
  {
    git::DiskScanCache cache(f);
    expect_same(cache.get("k1"), sample(1));
    EXPECT_FALSE(cache.get("k2").has_value());
    cache.put("k2", sample(2));
    cache.flush();
  }
  LogIndex log(f);
  EXPECT_FALSE(log.corrupt());
  EXPECT_EQ(log.record_count(), 2u);
  git::DiskScanCache healed(f);
  expect_same(healed.get("k1"), sample(1));
  expect_same(healed.get("k2"), sample(2));
}

TEST(DiskScanCache, AMostlyStaleLogShrinks) {
  TempDir dir;
  auto f = dir / "files.log";
  for (int round = 0; round < 4; ++round) {
    git::DiskScanCache cache(f);
    for (int i = 0; i < 600; ++i) cache.put("k" + std::to_string(i), sample(round));
    cache.flush();
  }
  LogIndex log(f);
  EXPECT_EQ(log.size(), 600u);
  EXPECT_LT(log.record_count(), 4u * 600) << "superseded records are dropped by a rewrite";
  expect_same(git::DiskScanCache(f).get("k5"), sample(3));
}

TEST(DiskScanCache, ALargeRunIsWrittenAsItGoesAndStillAnswers) {
  TempDir dir;
  auto f = dir / "files.log";
  CachedFile big = sample(1);
  big.markers.markers[0].reason = std::string(64 << 10, 'r');  // ~64 KiB a record
  git::DiskScanCache cache(f);
  for (int i = 0; i < 100; ++i) cache.put("k" + std::to_string(i), big);
  EXPECT_GE(LogIndex(f).size(), 50u) << "records are appended before flush()";
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(cache.get("k" + std::to_string(i)).value().markers.markers, big.markers.markers);
  cache.flush();
  LogIndex log(f);
  EXPECT_FALSE(log.corrupt());
  EXPECT_EQ(log.size(), 100u);
  EXPECT_EQ(log.record_count(), 100u);
}

TEST(DiskScanCache, RunsSharingALogKeepEachOthersRecords) {
  TempDir dir;
  auto f = dir / "files.log";
  CachedFile big = sample(1);
  big.markers.markers[0].reason = std::string(64 << 10, 'r');
  git::DiskScanCache a(f), b(f);
  for (int i = 0; i < 80; ++i) {
    a.put("a" + std::to_string(i), big);
    b.put("b" + std::to_string(i), sample(2));
  }
  a.flush();
  b.flush();
  git::DiskScanCache after(f);
  for (int i = 0; i < 80; ++i) {
    EXPECT_TRUE(after.get("a" + std::to_string(i)).has_value()) << i;
    expect_same(after.get("b" + std::to_string(i)), sample(2));
  }
}

TEST(DiskScanCache, ALogAnotherRunReplacedIsAppendedToByName) {
  TempDir dir;
  auto f = dir / "files.log";
  CachedFile big = sample(1);
  big.markers.markers[0].reason = std::string(64 << 10, 'r');
  git::DiskScanCache cache(f);
  cache.put("first", sample(1));
  rewrite_log(f, std::unordered_map<std::string, std::string>{});  // another run's rewrite
  for (int i = 0; i < 80; ++i) cache.put("k" + std::to_string(i), big);
  cache.flush();
  git::DiskScanCache after(f);
  expect_same(after.get("first"), sample(1));
  EXPECT_TRUE(after.get("k79").has_value());
}

}  // namespace
}  // namespace flakegrab
