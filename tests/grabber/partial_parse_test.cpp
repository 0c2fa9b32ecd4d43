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

// The text of each region left out.
std::vector<std::string> texts(const std::string& src, const std::vector<python::Elided>& e) {
  std::vector<std::string> out;
  for (const auto& r : e) out.push_back(src.substr(r.begin, r.end - r.begin));
  return out;
}

TEST(PartialParse, LeavesOutBodiesButOneWordOfThem) {
  const std::string src =
      "import pytest\n"
      "def test_a():\n"
      "    x = (1,\n"
      "         2)\n"
      "    y = '''a\n"
      "b'''\n"
      "    return x\n"
      "def test_d():\n"
      "    \"\"\"doc\"\"\"\n"
      "    assert f()\n"
      "    r = g()\n"
      "    assert r\n"
      "class TestK:\n"
      "    def test_m(self):\n"
      "        with open('f') as f:\n"
      "            f.read()\n"
      "            f.close()\n"
      "def helper():\n"
      "    a = 1\n"
      "    return a\n"
      "@helper\n"
      "def test_h(): pass\n";
  auto elided = python::elided_bodies(src, kWords);
  ASSERT_TRUE(elided);
  // A body keeps the first word that is a statement on its own (`x`, the `r` after a
  // docstring and asserts), or else its first statement, a compound one's header with what
  // its block keeps this way (the `f` of `f.read()`); helper is used again and kept whole.
  EXPECT_EQ(texts(src, *elided),
            (std::vector<std::string>{" = (1,\n         2)\n    y = '''a\nb'''\n    return x",
                                      "    \"\"\"doc\"\"\"\n    assert f()\n",
                                      " = g()\n    assert r", ".read()\n            f.close()"}));
  const auto& a = (*elided)[0];
  EXPECT_EQ(a.begin_point.row, 2u);
  EXPECT_EQ(a.begin_point.column, 5u);
  EXPECT_EQ(a.end_point.row, 6u);
  EXPECT_EQ(a.end_point.column, 12u);
  const auto& d = (*elided)[1];  // whole lines, up to the kept word's line
  EXPECT_EQ(d.begin_point.row, 8u);
  EXPECT_EQ(d.begin_point.column, 0u);
  EXPECT_EQ(d.end_point.row, 10u);
  EXPECT_EQ(d.end_point.column, 0u);
}

// A runtime skip is called by a whole name: a body passing `skipna=True` or calling
// `skip_rows()` holds none, and is left out like any other.
TEST(PartialParse, RuntimeWordsAreWholeNames) {
  const std::string src =
      "import pytest\n"
      "def test_a(df):\n"
      "    df.sum(skipna=True)\n"
      "    skip_rows(df)\n"
      "def test_b():\n"
      "    x = 1\n"
      "    pytest.importorskip('y')\n"
      "def test_c(self):\n"
      "    x = 1\n"
      "    self.skipTest('z')\n";
  EXPECT_EQ(python::word_positions(src, kWords),
            (std::vector<uint32_t>{static_cast<uint32_t>(src.find("importorskip")),
                                   static_cast<uint32_t>(src.find("skipTest"))}));
  auto elided = python::elided_bodies(src, kWords);
  ASSERT_TRUE(elided);
  EXPECT_EQ(texts(src, *elided), (std::vector<std::string>{".sum(skipna=True)\n    skip_rows(df)",
                                                           "    x = 1", "    x = 1"}));
  test::TempDir tmp;
  test::write_file(tmp / "test_w.py", src);
  EXPECT_EQ(records(tmp.path(), false), records(tmp.path(), true));
}

TEST(PartialParse, ABodyThatMaySkipKeepsTheStatementsThatMay) {
  const std::string src =
      "import pytest\n"
      "class TestK:\n"
      "    def test_c(self):\n"
      "        a = 1\n"
      "        if a:\n"
      "            b = 2\n"
      "            pytest.skip('x')\n"
      "        else:\n"
      "            c = 3\n"
      "            e = 5\n"
      "        try:\n"
      "            pytest.importorskip('y')\n"
      "            f = 6\n"
      "        except ImportError:\n"
      "            pass\n"
      "        d = 4\n"
      "    def test_n(self, request):\n"
      "        m = pytest.mark.xfail\n"
      "        n = 1\n"
      "        request.applymarker(m)\n";
  auto elided = python::elided_bodies(src, kWords);
  ASSERT_TRUE(elided);
  // The `if` keeps its headers (a skip's condition) and one statement of each block; a `try`
  // is kept whole (an except clause's condition reads its block), and so is a body that adds
  // marks (the mark may be any local assigned before).
  EXPECT_EQ(texts(src, *elided), (std::vector<std::string>{"        a = 1", "            b = 2",
                                                           "            e = 5", "        d = 4"}));
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
  // In a test file the unused factory loses its body but the word `return`; the method
  // always does.
  auto test_file = python::elided_bodies(src, kWords);
  ASSERT_TRUE(test_file);
  EXPECT_EQ(texts(src, *test_file),
            (std::vector<std::string>{"    def deco(f):\n        a = 1\n        return f\n",
                                      " deco", " = 1\n        return a"}));
  // Used again, it keeps it, the decorator it defines included.
  auto used = python::elided_bodies(src + "@factory(1)\ndef test_a(): pass\n", kWords);
  ASSERT_TRUE(used);
  EXPECT_EQ(texts(src, *used), (std::vector<std::string>{" = 1\n        return a"}));
  // A helper summarized for the link step keeps every module-level function.
  auto helper = python::elided_bodies(src, std::vector<uint32_t>{}, python::Bodies::summary);
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

// tree-sitter-python (0.23.6 and 0.25.0) misreads a continuation line inside brackets that is
// indented less than its block (CPython's test_compile.py, `(bar.\n        baz)`): the ERROR it
// makes swallows the definitions after it. A body the partial parse leaves out is not read,
// so the tests after it keep their marks; --full-parse reports the error and loses them.
TEST(PartialParse, ABodyTreeSitterMisreadsIsLeftOut) {
  test::TempDir tmp;
  test::write_file(tmp / "test_compile.py",
                   "import pytest\n\n\nclass TestSourcePositions:\n"
                   "    def test_weird_attribute_position_regressions(self):\n"
                   "        def f():\n"
                   "            (bar.\n"
                   "        baz)\n"
                   "            files().setdefault(\n"
                   "                0\n"
                   "            )\n"
                   "        for line in f.__code__.co_positions():\n"
                   "            self.assertIsNotNone(line)\n\n"
                   "    @pytest.mark.skip(reason='later')\n"
                   "    def test_later(self):\n"
                   "        pass\n");
  ScanStats partial, full;
  const std::string with_partial = records(tmp.path(), false, &partial);
  records(tmp.path(), true, &full);
  EXPECT_EQ(partial.parse_error_files, std::vector<std::string>{});
  EXPECT_EQ(full.parse_error_files, std::vector<std::string>{"test_compile.py"});
  EXPECT_NE(with_partial.find("test_compile.py::TestSourcePositions::test_later"),
            std::string::npos)
      << with_partial;
}

// With argvalues, a test file's parametrize displays lose their insides when no parameter set
// of the file can carry a mark.
std::vector<std::string> argvalues_left_out(const std::string& src) {
  auto elided = python::elided_bodies(src, python::word_positions(src, kWords),
                                      python::Bodies::test_file, true);
  EXPECT_TRUE(elided);
  return elided ? texts(src, *elided) : std::vector<std::string>{};
}

TEST(PartialParse, LeavesOutArgvaluesNoSetCanMark) {
  const std::string src =
      "import pytest\n"
      "@pytest.mark.parametrize(\"a, b\", [\n"
      "    (1, 2),  # ] )\n"
      "    ('x]', 3),\n"
      "], ids=['p', 'q'])\n"
      "def test_a(a, b): pass\n"
      "class TestK:\n"
      "    @pytest.mark.parametrize('k', ((1, 2), (3, 4)))\n"
      "    @pytest.mark.parametrize('s', [lambda: pytest.skip('x'), len])\n"
      "    def test_k(self, k, s): pass\n";
  auto elided = python::elided_bodies(src, python::word_positions(src, kWords),
                                      python::Bodies::test_file, true);
  ASSERT_TRUE(elided);
  // The display that may call a skip is kept; the argnames and ids always are.
  EXPECT_EQ(texts(src, *elided),
            (std::vector<std::string>{"\n    (1, 2),  # ] )\n    ('x]', 3),\n", "(1, 2), (3, 4)"}));
  const auto& a = (*elided)[0];
  EXPECT_EQ(a.begin_point.row, 1u);
  EXPECT_EQ(a.begin_point.column, 34u);
  EXPECT_EQ(a.end_point.row, 4u);
  EXPECT_EQ(a.end_point.column, 0u);
  const auto& k = (*elided)[1];
  EXPECT_EQ(k.begin_point.row, 7u);
  EXPECT_EQ(k.begin_point.column, 35u);
  // Not asked for (a configured `parametrize` marker quotes them): bodies only.
  auto bodies = python::elided_bodies(src, kWords);
  ASSERT_TRUE(bodies);
  EXPECT_TRUE(bodies->empty());
}

TEST(PartialParse, KeepsTheArgvaluesOfAGroupWhereOneSetMayMark) {
  const std::string plain = "@pytest.mark.parametrize('a', [1, 2, 3, 4, 5])\ndef test_a(a): pass\n";
  ASSERT_EQ(argvalues_left_out("import pytest\n" + plain).size(), 1u);
  // A parametrize on another `def` that may give a set a mark keeps the displays of its own
  // group of decorators (their ids name the items the set is recorded on), not test_a's.
  const std::string stacked = "@pytest.mark.parametrize('z', [6, 7, 8, 9, 10])\n";
  for (const char* other : {
           "@pytest.mark.parametrize('b', [pytest.param(1, marks=pytest.mark.skip)])\n",
           "@pytest.mark.parametrize('b', CASES)\n",
           "@pytest.mark.parametrize('b', (CASES))\n",
           "@pytest.mark.parametrize('b', [1, 2] + MORE)\n",
           "@pytest.mark.parametrize('b', [*CASES, 1])\n",
           "@pytest.mark.parametrize('b', [c for c in CASES])\n",
           "@pytest.mark.parametrize('b', [x := SKIPPING, 2])\n",
           "@pytest.mark.parametrize(argnames='b', argvalues=[1, 2])\n",
       }) {
    SCOPED_TRACE(other);
    for (const std::string& group : {stacked + other, other + stacked})
      EXPECT_EQ(argvalues_left_out("import pytest\n" + plain + group + "def test_b(b, z): pass\n"),
                std::vector<std::string>{"1, 2, 3, 4, 5"});
  }
  // Whatever else the file holds that may give a set a mark, or read an id, or make
  // `pytest.mark.parametrize` something else, no display of it is left out.
  for (const char* other : {
           "@pytest.mark.parametrize('b', [1, 2])\nclass TestB: pass\n",
           "pytestmark = pytest.mark.parametrize('b', [1, 2])\n",
           "P = pytest.mark.parametrize\n",
           "from helpers import pytest\n",
           "import pytest as pt\n",
       }) {
    SCOPED_TRACE(other);
    EXPECT_EQ(argvalues_left_out("import pytest\n" + plain + other), std::vector<std::string>{});
  }
  EXPECT_EQ(argvalues_left_out(plain), std::vector<std::string>{});  // pytest not imported
}

// tree-sitter's lexer scans the included ranges from the first at every token: past 256
// regions the largest are left out and the others parsed, with the same records.
TEST(PartialParse, AtMostSomeHundredRegionsTheLargestFirst) {
  std::string src = "import pytest\n";
  for (int i = 0; i < 600; ++i)
    src += "def test_" + std::to_string(i) + "():\n    x = 1\n" +
           (i % 2 ? "    y = 2\n    z = 3\n" : "") + "\n";
  src += "@pytest.mark.xfail\ndef test_last(): pass\n";
  auto elided = python::elided_bodies(src, kWords);
  ASSERT_TRUE(elided);
  ASSERT_EQ(elided->size(), 256u);
  for (size_t i = 0; i < elided->size(); ++i) {
    EXPECT_EQ(src.substr((*elided)[i].begin, (*elided)[i].end - (*elided)[i].begin),
              " = 1\n    y = 2\n    z = 3");  // the odd tests' longer bodies
    if (i) {
      EXPECT_LT((*elided)[i - 1].end, (*elided)[i].begin);
    }
  }
  test::TempDir tmp;
  test::write_file(tmp / "test_many.py", src);
  EXPECT_EQ(records(tmp.path(), false), records(tmp.path(), true));
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
