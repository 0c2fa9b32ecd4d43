#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "grabber/grabber.h"

// What a source gives, record by record, is in the golden cases (tests/cases/inline_*, one
// folder each, scanned through the pipeline). What stays here is what a golden case cannot
// show: one field's meaning, parse errors, configuration, and inputs no file should hold.
namespace flakegrab {
namespace {

FileMarkers run(std::string_view src, std::string_view path = "t/test_a.py") {
  return extract_markers(path, src, ScanConfig::defaults());
}

const Marker* find(const FileMarkers& fm, std::string_view id, std::string_view name) {
  for (const auto& m : fm.markers)
    if (m.test_id == id && m.name == name) return &m;
  return nullptr;
}

TEST(Extractor, ModuleLevelImportorskipNamesNoReason) {
  // The first positional is the module to import, not a reason; only `reason=` is one.
  auto fm =
      run("import pytest\nnp = pytest.importorskip('numpy')\npytest.importorskip('scipy', "
          "reason='needs SCI-12')\ndef test_a(): pass\n");
  ASSERT_EQ(fm.markers.size(), 2u);
  EXPECT_EQ(fm.markers[0].line, 2);
  EXPECT_EQ(fm.markers[0].reason, std::nullopt);
  EXPECT_EQ(fm.markers[0].args,
            (std::vector<std::pair<std::string, std::string>>{{"0", "'numpy'"}}));
  EXPECT_EQ(fm.markers[1].reason, "needs SCI-12");
  EXPECT_EQ(fm.markers[1].ticket, "SCI-12");
  EXPECT_EQ(fm.markers[1].scope, MarkerScope::module);
  EXPECT_EQ(fm.markers[1].test_id, "t/test_a.py::test_a");
}

TEST(Extractor, SyntaxErrorStillFindsMarkers) {
  auto fm =
      run("import pytest\n@pytest.mark.xfail(reason='x')\ndef test_a(): pass\n"
          "def broken(:\n    pass\n");
  EXPECT_TRUE(fm.parse_error);
  EXPECT_TRUE(find(fm, "t/test_a.py::test_a", "xfail"));
}

TEST(Extractor, StringForms) {
  auto fm = run(R"X(import pytest, sys
@pytest.mark.xfail(reason="a" 'b', condition=sys.platform == "win32")
def test_a(): pass
@pytest.mark.skip(reason=r"raw\d")
def test_b(): pass
@pytest.mark.skip(reason="""triple""")
def test_c(): pass
@pytest.mark.skip(reason=f"v{sys.version}")
def test_d(): pass
)X");
  ASSERT_EQ(fm.markers.size(), 4u);
  EXPECT_EQ(find(fm, "t/test_a.py::test_a", "xfail")->reason, "ab");
  EXPECT_EQ(find(fm, "t/test_a.py::test_a", "xfail")->condition, "sys.platform == \"win32\"");
  EXPECT_EQ(find(fm, "t/test_a.py::test_b", "skip")->reason, "raw\\d");
  EXPECT_EQ(find(fm, "t/test_a.py::test_c", "skip")->reason, "triple");
  EXPECT_EQ(find(fm, "t/test_a.py::test_d", "skip")->reason, "f\"v{sys.version}\"");
}

TEST(Extractor, TicketFromIssueUrl) {
  auto fm =
      run("import pytest\n@pytest.mark.skip(reason='see https://github.com/a/b/issues/12 x')\n"
          "def test_a(): pass\n");
  ASSERT_EQ(fm.markers.size(), 1u);
  EXPECT_EQ(fm.markers[0].ticket, "https://github.com/a/b/issues/12");
}

TEST(Extractor, XfailFirstPositionalIsCondition) {
  auto fm =
      run("import pytest\n@pytest.mark.xfail(sys.version_info < (3,), reason='py2')\n"
          "def test_a(): pass\n");
  ASSERT_EQ(fm.markers.size(), 1u);
  EXPECT_EQ(fm.markers[0].condition, "sys.version_info < (3,)");
  EXPECT_EQ(fm.markers[0].reason, "py2");
  EXPECT_EQ(fm.markers[0].args[0].first, "0");
}

TEST(Extractor, CustomMarkerFromConfig) {
  auto cfg = ScanConfig::defaults();
  cfg.markers["quarantine"] = MarkerKind::custom;
  auto fm =
      extract_markers("a.py", "import pytest\n@pytest.mark.quarantine\ndef test_a(): pass\n", cfg);
  ASSERT_EQ(fm.markers.size(), 1u);
  EXPECT_EQ(fm.markers[0].kind, MarkerKind::custom);
}

TEST(Extractor, DeepNestingDoesNotCrash) {
  std::string src = "import pytest\nx = " + std::string(50000, '(') + "1" +
                    std::string(50000, ')') + "\n@pytest.mark.skip\ndef test_a(): pass\n";
  auto fm = run(src);
  EXPECT_TRUE(find(fm, "t/test_a.py::test_a", "skip"));
}

TEST(Extractor, DeeplyNestedMarksListDoesNotOverflowTheStack) {
  // Found with fuzz/extractor_fuzzer: pytestmark = [[[...]]] and pytest.param(marks=[[...]])
  // recursed once per nesting level, without the depth limit, and overflowed the stack.
  const std::string open(100000, '['), close(100000, ']');
  auto module = run("import pytest\npytestmark = " + open + "pytest.mark.skip" + close +
                    "\ndef test_a(): pass\n");
  EXPECT_TRUE(module.markers.empty());  // past the depth the extractor looks into
  auto param = run("import pytest\n@pytest.mark.parametrize('a', [pytest.param(1, marks=" + open +
                   "pytest.mark.skip" + close + ")])\ndef test_p(a): pass\n");
  EXPECT_TRUE(param.markers.empty());
  // Nesting Python accepts is still looked through.
  auto shallow = run("import pytest\npytestmark = [([pytest.mark.skip],)]\ndef test_a(): pass\n");
  ASSERT_EQ(shallow.markers.size(), 1u);
  EXPECT_EQ(shallow.markers[0].scope, MarkerScope::module);
}

TEST(Extractor, GarbageNeverThrows) {
  EXPECT_NO_THROW(run(std::string("\0\xff@@@pytest.mark(", 17)));
  EXPECT_NO_THROW(run(""));
}

TEST(Extractor, EveryTruncationIsSafe) {
  // Error recovery must never crash on half-written code: cut a rich file at every byte.
  const std::string src = R"(import pytest, unittest
from pytest import mark as M
xf = pytest.mark.xfail(strict=False)
pytestmark = [pytest.mark.skipif(True, reason="r")]
@pytest.mark.parametrize("a", [pytest.param(1, marks=M.xfail, id="x")], ids=["y"])
@xf(reason="a" "b", jira="A-1")
def test_a(a):
    if a:
        pytest.skip("s")
@unittest.skip("c")
class TestB(unittest.TestCase):
    @pytest.fixture()
    @M.skip
    def fx(self): pass
    def test_b(self): self.skipTest("t")
)";
  size_t total = 0;
  for (size_t n = 0; n <= src.size(); ++n) total += run(src.substr(0, n)).markers.size();
  EXPECT_GT(total, 0u);
  EXPECT_FALSE(run(src).markers.empty());
}

TEST(ScanConfigHash, StableAndSensitive) {
  auto a = ScanConfig::defaults();
  auto b = ScanConfig::defaults();
  EXPECT_EQ(a.hash(), b.hash());
  EXPECT_EQ(a.hash().size(), 16u);
  b.markers["quarantine"] = MarkerKind::custom;
  EXPECT_NE(a.hash(), b.hash());
  b = a;
  b.ticket_keys.push_back("jira_id");
  EXPECT_NE(a.hash(), b.hash());
}

}  // namespace
}  // namespace flakegrab
