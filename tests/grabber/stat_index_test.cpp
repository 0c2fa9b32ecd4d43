// The stat index of directory scans, on real files: a blob id is vouched for only while every
// stat field is as recorded, and only files whose last change was settled before the scan are
// recorded at all. A scan's start is given as a time ahead of now, so that files written by
// the test count as settled without the test waiting.
#include "grabber/stat_index.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <tuple>
#include <vector>

#include "base/read_file.h"
#include "tests/support/process.h"

namespace flakegrab {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kLater = 60'000'000'000;  // a scan a minute from now

struct Files {
  test::TempDir dir;
  fs::path root() const { return dir / "tree"; }
  fs::path index() const { return dir / "stat.idx"; }
  Files() { fs::create_directories(root()); }
  FileStat write(const std::string& rel, const std::string& text) {
    test::write_file(root() / rel, text);
    return *stat_beneath(root(), rel);
  }
  StatIndex scan(std::int64_t started_ns = wall_clock_ns() + kLater) const {
    return StatIndex(index(), started_ns);
  }
  // A scan that hashed these files, saved.
  void recorded(const std::vector<std::tuple<std::string, FileStat, std::string>>& files) {
    StatIndex first = scan();
    for (const auto& [rel, st, blob] : files) first.note(rel, st, blob);
    ASSERT_TRUE(first.save());
  }
};

TEST(StatIndex, AnUnchangedFileIsVouchedForByTheNextScan) {
  Files f;
  FileStat st = f.write("test_a.py", "def test_a():\n    pass\n");
  {
    StatIndex first = f.scan();
    EXPECT_EQ(first.blob("test_a.py", st), std::nullopt);  // nothing recorded yet
    first.note("test_a.py", st, "aaaa");
    ASSERT_TRUE(first.save());
  }
  StatIndex second = f.scan();
  EXPECT_EQ(second.blob("test_a.py", *stat_beneath(f.root(), "test_a.py")), "aaaa");
  EXPECT_EQ(second.vouched(), 1u);
  EXPECT_EQ(second.blob("test_b.py", st), std::nullopt);  // another path, the same stat
}

TEST(StatIndex, NewBytesOfTheSameSizeUnderTheOldMtimeAreNotVouchedFor) {
  Files f;
  FileStat st = f.write("test_a.py", "@pytest.mark.xfail\ndef test_a():\n    pass\n");
  f.recorded({{"test_a.py", st, "old"}});
  FileStat now = f.write("test_a.py", "@pytest.mark.skip\n\ndef test_a():\n    pass\n");
  test::set_mtime(f.root() / "test_a.py", st.mtime_ns);
  now = *stat_beneath(f.root(), "test_a.py");
  ASSERT_EQ(now.size, st.size);
  ASSERT_EQ(now.mtime_ns, st.mtime_ns);
  // Only the ctime tells: the kernel sets it on every write, and no call sets it back.
  StatIndex second = f.scan();
  EXPECT_EQ(second.blob("test_a.py", now), std::nullopt);
}

TEST(StatIndex, EveryStatFieldCounts) {
  Files f;
  FileStat st = f.write("a.py", "x = 1\n");
  f.recorded({{"a.py", st, "blob"}});
  for (auto change : std::vector<void (*)(FileStat&)>{
           [](FileStat& s) { s.size += 1; }, [](FileStat& s) { s.mode ^= 0100; },
           [](FileStat& s) { s.ino += 1; }, [](FileStat& s) { s.dev += 1; },
           [](FileStat& s) { s.mtime_ns += 1; }, [](FileStat& s) { s.ctime_ns += 1; }}) {
    FileStat other = st;
    change(other);
    StatIndex again = f.scan();
    EXPECT_EQ(again.blob("a.py", other), std::nullopt);
    EXPECT_EQ(again.blob("a.py", st), "blob");
  }
}

TEST(StatIndex, AFileChangedJustBeforeTheScanIsNotRecorded) {
  Files f;
  FileStat st = f.write("test_a.py", "def test_a():\n    pass\n");
  {
    // Within kSettled of the file's change: a write in the same clock tick as the scan's read
    // could leave the same stat over other bytes.
    StatIndex first = f.scan(wall_clock_ns());
    first.note("test_a.py", st, "aaaa");
    ASSERT_TRUE(first.save());
  }
  EXPECT_EQ(f.scan().blob("test_a.py", st), std::nullopt);
}

TEST(StatIndex, FilesNotLookedAtAreDroppedWhenSaved) {
  Files f;
  FileStat a = f.write("a.py", "a = 1\n");
  FileStat b = f.write("b.py", "b = 1\n");
  f.recorded({{"a.py", a, "A"}, {"b.py", b, "B"}});
  {
    StatIndex second = f.scan();
    EXPECT_EQ(second.blob("a.py", a), "A");  // b.py is gone from the tree, say
    ASSERT_TRUE(second.save());
  }
  StatIndex third = f.scan();
  EXPECT_EQ(third.blob("a.py", a), "A");
  EXPECT_EQ(third.blob("b.py", b), std::nullopt);
}

TEST(StatIndex, AnIndexThatWouldNotChangeIsNotWrittenAgain) {
  Files f;
  FileStat a = f.write("a.py", "a = 1\n");
  FileStat b = f.write("b.py", "b = 1\n");
  f.recorded({{"a.py", a, "A"}, {"b.py", b, "B"}});
  const FileStat written = *stat_beneath(f.dir.path(), "stat.idx");
  {
    StatIndex same = f.scan();  // both vouched for, one hashed again to the same id
    EXPECT_EQ(same.blob("a.py", a), "A");
    same.note("b.py", b, "B");
    ASSERT_TRUE(same.save());
  }
  // Replaced files get a new inode (a temp file renamed over the old one).
  EXPECT_EQ(stat_beneath(f.dir.path(), "stat.idx")->ino, written.ino);
  {
    StatIndex fewer = f.scan();
    EXPECT_EQ(fewer.blob("a.py", a), "A");
    ASSERT_TRUE(fewer.save());
  }
  EXPECT_NE(stat_beneath(f.dir.path(), "stat.idx")->ino, written.ino);
  StatIndex after = f.scan();
  EXPECT_EQ(after.blob("b.py", b), std::nullopt);
  {
    StatIndex other = f.scan();
    other.note("a.py", a, "A2");  // the same stat, another id: hashed again after a change
    ASSERT_TRUE(other.save());
  }
  EXPECT_EQ(f.scan().blob("a.py", a), "A2");
}

TEST(StatIndex, ACorruptIndexIsAnEmptyOne) {
  Files f;
  FileStat st = f.write("a.py", "a = 1\n");
  f.recorded({{"a.py", st, "A"}});
  std::string bytes = read_whole_file(f.index());
  bytes[bytes.size() - 2] ^= 0x20;  // inside the last blob id
  test::write_file(f.index(), bytes);
  EXPECT_EQ(f.scan().blob("a.py", st), std::nullopt);
  test::write_file(f.index(), "not an index");
  EXPECT_EQ(f.scan().blob("a.py", st), std::nullopt);
}

TEST(StatIndex, AnIndexThatCannotBeWrittenSaysSo) {
  Files f;
  FileStat st = f.write("a.py", "a = 1\n");
  test::write_file(f.dir / "a-file", "");  // no directory can be made there, even by root
  StatIndex first(f.dir / "a-file" / "stat.idx", wall_clock_ns() + kLater);
  first.note("a.py", st, "A");
  EXPECT_FALSE(first.save());
}

TEST(StatIndex, OnlyRegularFilesHaveAStat) {
  Files f;
  f.write("a.py", "a = 1\n");
  fs::create_symlink("a.py", f.root() / "link.py");
  fs::create_directories(f.root() / "pkg");
  EXPECT_TRUE(stat_beneath(f.root(), "a.py"));
  EXPECT_FALSE(stat_beneath(f.root(), "link.py"));
  EXPECT_FALSE(stat_beneath(f.root(), "pkg"));
  EXPECT_FALSE(stat_beneath(f.root(), "missing.py"));
}

}  // namespace
}  // namespace flakegrab
