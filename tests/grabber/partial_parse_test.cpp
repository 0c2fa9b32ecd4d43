// The extractor leaves bodies out of the parse (grabber/python/regions.h) only where that
// cannot change a record: scanning with and without --full-parse gives the same records and
// parse errors on every golden case, every fixture tree and a generated real-shaped tree.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "grabber/python/regions.h"
#include "grabber/scan_pipeline.h"
#include "tests/support/paths.h"
#include "tests/support/process.h"

namespace flakegrab {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kWords{"skip", "xfail", "importorskip", "skipTest"};

std::string records(const fs::path& dir, bool full_parse, ScanStats* stats = nullptr) {
  ScanConfig config = ScanConfig::defaults();
  config.all_files = true;
  config.full_parse = full_parse;
  ScanResult r = scan_directory(dir, config, 1);
  nlohmann::ordered_json got = nlohmann::ordered_json::array();
  for (const auto& m : r.markers) got.push_back(to_json(m));
  nlohmann::ordered_json errors = r.stats.parse_error_files;
  if (stats) *stats = r.stats;
  return got.dump(1) + "\n" + errors.dump();
}

void expect_same(const fs::path& dir) {
  SCOPED_TRACE(dir.string());
  EXPECT_EQ(records(dir, false), records(dir, true));
}

TEST(PartialParse, SameRecordsOnEveryGoldenCaseAndFixture) {
  int trees = 0;
  for (const auto* top : {"tests/cases", "fixtures"})
    for (const auto& e : fs::directory_iterator(test::source_dir() / top))
      if (e.is_directory()) expect_same(e.path()), ++trees;
  EXPECT_GT(trees, 5);
}

TEST(PartialParse, SameRecordsOnAGeneratedRealShapedTree) {
  test::TempDir tmp;
  auto gen = test::run("/usr/bin/python3",
                       {(test::source_dir() / "bench" / "gen_tree.py").string(), "--files", "300",
                        "--profile", "real", "--out", (tmp / "gen").string()});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  ScanStats stats;
  const std::string partial = records(tmp / "gen" / "tree", false, &stats);
  EXPECT_EQ(partial, records(tmp / "gen" / "tree", true));
  EXPECT_GT(stats.markers, 100u);
}

TEST(PartialParse, LeavesOutBodiesAfterTheirFirstStatement) {
  const std::string src =
      "import pytest\n"
      "def test_a():\n"
      "    x = (1,\n"
      "         2)\n"
      "    y = '''a\n"
      "b'''\n"
      "    return x\n"
      "class TestK:\n"
      "    def test_m(self):\n"
      "        with open('f') as f:\n"
      "            f.read()\n"
      "            f.close()\n"
      "    def test_s(self):\n"
      "        a = 1\n"
      "        pytest.skip('runtime')\n"
      "def helper():\n"
      "    a = 1\n"
      "    return a\n"
      "@helper\n"
      "def test_h(): pass\n";
  auto elided = python::elided_bodies(src, kWords);
  ASSERT_TRUE(elided);
  ASSERT_EQ(elided->size(), 2u);  // test_s names skip; helper is used again
  const auto& a = (*elided)[0];
  EXPECT_EQ(src.substr(a.begin, a.end - a.begin), "    y = '''a\nb'''\n    return x");
  EXPECT_EQ(a.begin_point.row, 4u);
  EXPECT_EQ(a.end_point.row, 6u);
  EXPECT_EQ(a.end_point.column, 12u);
  const auto& m = (*elided)[1];
  EXPECT_EQ(src.substr(m.begin, m.end - m.begin), "            f.close()");
}

TEST(PartialParse, KeepsWhatSummariesRead) {
  const std::string src =
      "def factory(x):\n"
      "    def deco(f):\n"
      "        a = 1\n"
      "        return f\n"
      "    return deco\n"
      "class K:\n"
      "    def method(self):\n"
      "        a = 1\n"
      "        return a\n";
  // In a test file the unused factory loses its body (but the first statement of each block
  // its first statement opens); the method always does.
  auto test_file = python::elided_bodies(src, kWords);
  ASSERT_TRUE(test_file);
  ASSERT_EQ(test_file->size(), 2u);
  EXPECT_EQ(src.substr((*test_file)[0].begin, (*test_file)[0].end - (*test_file)[0].begin),
            "        return f\n    return deco");
  // Used again, it keeps it, the decorator it defines included.
  auto used = python::elided_bodies(src + "@factory(1)\ndef test_a(): pass\n", kWords);
  ASSERT_TRUE(used);
  ASSERT_EQ(used->size(), 1u);
  EXPECT_EQ(src.substr((*used)[0].begin, (*used)[0].end - (*used)[0].begin), "        return a");
  // A helper summarized for the link step keeps every module-level function.
  auto helper = python::elided_bodies(src, {}, python::Bodies::summary);
  ASSERT_TRUE(helper);
  ASSERT_EQ(helper->size(), 1u);
  EXPECT_EQ((*helper)[0].begin, (*used)[0].begin);
}

// A syntax error is reported where the parse reads it. One inside a body the partial parse
// leaves out (it can hold nothing reported, so the records are the same) is reported only by
// --full-parse, as one in a file the prefilter drops is never; one the lexical pass sees (a
// bracket or string left open, a bad indentation) makes the file parsed whole either way.
TEST(PartialParse, SyntaxErrorsAreReportedWhereTheParseReads) {
  test::TempDir tmp;
  test::write_file(tmp / "test_body.py",
                   "import pytest\n\n\n@pytest.mark.skip\ndef test_a():\n    x = 1\n"
                   "    y = = 2\n");
  test::write_file(tmp / "test_bracket.py",
                   "import pytest\n\n\n@pytest.mark.skip\ndef test_b():\n    x = 1\n"
                   "    y = (2\n");
  ScanStats partial, full;
  const std::string with_partial = records(tmp.path(), false, &partial);
  const std::string with_full = records(tmp.path(), true, &full);
  EXPECT_EQ(partial.markers, 2u);
  EXPECT_EQ(full.markers, 2u);
  EXPECT_EQ(partial.parse_error_files, std::vector<std::string>{"test_bracket.py"});
  EXPECT_EQ(full.parse_error_files, (std::vector<std::string>{"test_body.py", "test_bracket.py"}));
  // The records themselves do not depend on it.
  EXPECT_EQ(with_partial.substr(0, with_partial.rfind('\n')),
            with_full.substr(0, with_full.rfind('\n')));
}

TEST(PartialParse, DoubtMeansAWholeParse) {
  for (const char* src : {"def f():\n    x = (1,\n", "def f():\n    s = 'open\n    pass\n",
                          "def f():\n\tpass\n", "def f():\n  a = 1\n    b = 2\n",
                          "def f():\n    a = 1\n  b = 2\n", "x = 1\r  y = 2\n", "def f():\n"}) {
    SCOPED_TRACE(src);
    EXPECT_FALSE(python::elided_bodies(src, kWords));
  }
}

}  // namespace
}  // namespace flakegrab
