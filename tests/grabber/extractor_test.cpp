#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "grabber/grabber.h"

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

TEST(Extractor, PlainMarkAndCall) {
  auto fm = run(R"(import pytest

@pytest.mark.skip
def test_a(): pass

@pytest.mark.xfail(strict=True, reason="broken DCOS-42")
def test_b(): pass
)");
  ASSERT_EQ(fm.markers.size(), 2u);
  EXPECT_FALSE(fm.parse_error);
  auto* a = find(fm, "t/test_a.py::test_a", "skip");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->line, 3);
  EXPECT_EQ(a->kind, MarkerKind::skip);
  auto* b = find(fm, "t/test_a.py::test_b", "xfail");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->strict, true);
  EXPECT_EQ(b->reason, "broken DCOS-42");
  EXPECT_EQ(b->ticket, "DCOS-42");
  EXPECT_EQ(b->line, 6);
}

TEST(Extractor, XfailflakeKeywordsAnyOrderMultiLine) {
  auto fm = run(R"(import pytest

@pytest.mark.xfailflake(
    since="2019-01-25",
    reason="flaky",
    jira="DCOS-123",
)
def test_x(): pass
)");
  ASSERT_EQ(fm.markers.size(), 1u);
  const auto& m = fm.markers[0];
  EXPECT_EQ(m.name, "xfailflake");
  EXPECT_EQ(m.kind, MarkerKind::xfail);
  EXPECT_EQ(m.ticket, "DCOS-123");
  EXPECT_EQ(m.since, "2019-01-25");
  EXPECT_EQ(m.reason, "flaky");
  EXPECT_EQ(m.line, 3);
  ASSERT_EQ(m.args.size(), 3u);
  EXPECT_EQ(m.args[0].first, "since");
  EXPECT_EQ(m.args[0].second, "\"2019-01-25\"");
}

TEST(Extractor, StackedMarkersEachOwnLine) {
  auto fm =
      run("import pytest\n@pytest.mark.skip(reason='a')\n@pytest.mark.slow\n"
          "@pytest.mark.xfail\ndef test_s(): pass\n");
  ASSERT_EQ(fm.markers.size(), 2u);
  EXPECT_EQ(find(fm, "t/test_a.py::test_s", "skip")->line, 2);
  EXPECT_EQ(find(fm, "t/test_a.py::test_s", "xfail")->line, 4);
}

TEST(Extractor, NonMutingMarkersIgnored) {
  auto fm =
      run("import pytest\n@pytest.mark.slow\n@pytest.mark.usefixtures('x')\n"
          "@pytest.mark.parametrize('a', [1, 2])\ndef test_s(a): pass\n");
  EXPECT_TRUE(fm.markers.empty());
}

TEST(Extractor, ImportAlias) {
  auto fm = run("import pytest as pt\n@pt.mark.xfail\ndef test_a(): pass\n");
  ASSERT_EQ(fm.markers.size(), 1u);
  EXPECT_EQ(fm.markers[0].name, "xfail");
}

TEST(Extractor, FromPytestImportMark) {
  auto fm = run("from pytest import mark\n@mark.skip\ndef test_a(): pass\n");
  ASSERT_EQ(fm.markers.size(), 1u);
  EXPECT_EQ(fm.markers[0].name, "skip");
}

TEST(Extractor, FromPytestImportMarkAs) {
  auto fm = run("from pytest import mark as M\n@M.skipif(True, reason='r')\ndef test_a(): pass\n");
  ASSERT_EQ(fm.markers.size(), 1u);
  EXPECT_EQ(fm.markers[0].condition, "True");
  EXPECT_EQ(fm.markers[0].reason, "r");
}

TEST(Extractor, MarkVariableAlias) {
  auto fm = run("import pytest as pt\nm = pt.mark\n@m.xfail\ndef test_a(): pass\n");
  ASSERT_EQ(fm.markers.size(), 1u);
  EXPECT_EQ(fm.markers[0].name, "xfail");
}

TEST(Extractor, UnknownModuleIsNotPytest) {
  auto fm = run("import other\n@other.mark.xfail\ndef test_a(): pass\n");
  EXPECT_TRUE(fm.markers.empty());
}

TEST(Extractor, ModuleLevelMarkerAliasMergesArgs) {
  auto fm = run(R"(import pytest
xfailflake = pytest.mark.xfail(strict=False)

@xfailflake(reason="r", jira="DCOS-9")
def test_a(): pass

@xfailflake
def test_b(): pass
)");
  ASSERT_EQ(fm.markers.size(), 2u);
  auto* a = find(fm, "t/test_a.py::test_a", "xfail");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->strict, false);
  EXPECT_EQ(a->ticket, "DCOS-9");
  EXPECT_EQ(a->line, 4);
  auto* b = find(fm, "t/test_a.py::test_b", "xfail");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->line, 7);
}

TEST(Extractor, AliasToCustomRegisteredMarker) {
  auto fm =
      run("import pytest\nxf = pytest.mark.xfailflake\n@xf(jira='A-1')\ndef test_a(): pass\n");
  ASSERT_EQ(fm.markers.size(), 1u);
  EXPECT_EQ(fm.markers[0].name, "xfailflake");
  EXPECT_EQ(fm.markers[0].ticket, "A-1");
}

TEST(Extractor, ClassDecoratorAppliesToEachMethod) {
  auto fm = run(R"(import pytest

@pytest.mark.skip(reason="r")
class TestX:
    def test_a(self): pass
    def test_b(self): pass
    def helper(self): pass
)");
  ASSERT_EQ(fm.markers.size(), 2u);
  EXPECT_TRUE(find(fm, "t/test_a.py::TestX::test_a", "skip"));
  EXPECT_EQ(find(fm, "t/test_a.py::TestX::test_b", "skip")->scope, MarkerScope::klass);
  EXPECT_EQ(find(fm, "t/test_a.py::TestX::test_b", "skip")->line, 3);
}

TEST(Extractor, ClassPytestmarkList) {
  auto fm = run(R"(import pytest
class TestX:
    pytestmark = [pytest.mark.xfail, pytest.mark.slow, pytest.mark.skip]
    def test_a(self): pass
)");
  ASSERT_EQ(fm.markers.size(), 2u);
  EXPECT_TRUE(find(fm, "t/test_a.py::TestX::test_a", "xfail"));
  EXPECT_TRUE(find(fm, "t/test_a.py::TestX::test_a", "skip"));
}

TEST(Extractor, NestedClassesInheritOuterMarks) {
  auto fm = run(R"(import pytest
@pytest.mark.xfail
class TestOuter:
    class TestInner:
        @pytest.mark.skip
        def test_a(self): pass
)");
  ASSERT_EQ(fm.markers.size(), 2u);
  EXPECT_EQ(find(fm, "t/test_a.py::TestOuter::TestInner::test_a", "xfail")->scope,
            MarkerScope::klass);
  EXPECT_EQ(find(fm, "t/test_a.py::TestOuter::TestInner::test_a", "skip")->scope,
            MarkerScope::function);
}

TEST(Extractor, ClassWithInitNotCollected) {
  auto fm = run(R"(import pytest
class TestX:
    def __init__(self): pass
    @pytest.mark.skip
    def test_a(self): pass
)");
  ASSERT_EQ(fm.markers.size(), 0u);
}

TEST(Extractor, MarkedClassWithoutTestsReportedOnce) {
  auto fm = run("import pytest\n@pytest.mark.skip\nclass TestX:\n    pass\n");
  ASSERT_EQ(fm.markers.size(), 1u);
  EXPECT_EQ(fm.markers[0].test_id, "t/test_a.py::TestX");
}

TEST(Extractor, ModulePytestmark) {
  auto fm = run(R"(import pytest
pytestmark = (pytest.mark.skipif("sys.platform == 'win32'"), pytest.mark.flaky(reruns=3))
def test_a(): pass
class TestY:
    def test_b(self): pass
)");
  ASSERT_EQ(fm.markers.size(), 4u);
  auto* s = find(fm, "t/test_a.py::TestY::test_b", "skipif");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->scope, MarkerScope::module);
  EXPECT_EQ(s->line, 2);
  EXPECT_EQ(find(fm, "t/test_a.py::test_a", "flaky")->kind, MarkerKind::flaky);
}

TEST(Extractor, ModulePytestmarkNoTests) {
  auto fm = run("import pytest\npytestmark = pytest.mark.skip\n");
  ASSERT_EQ(fm.markers.size(), 1u);
  EXPECT_EQ(fm.markers[0].test_id, "t/test_a.py");
}

TEST(Extractor, ParamMarksWithExplicitId) {
  auto fm = run(R"(import pytest
@pytest.mark.parametrize("a,b", [
    (1, 2),
    pytest.param(3, 4, id="three", marks=pytest.mark.xfail(reason="r")),
    pytest.param("x", 5, marks=[pytest.mark.skip, pytest.mark.slow]),
    pytest.param(object(), marks=pytest.mark.skip),
])
def test_p(a, b): pass
)");
  ASSERT_EQ(fm.markers.size(), 3u);
  auto* x = find(fm, "t/test_a.py::test_p[three]", "xfail");
  ASSERT_TRUE(x);
  EXPECT_EQ(x->scope, MarkerScope::param);
  EXPECT_EQ(x->line, 4);
  EXPECT_TRUE(find(fm, "t/test_a.py::test_p[x-5]", "skip"));
  EXPECT_TRUE(find(fm, "t/test_a.py::test_p", "skip"));
}

TEST(Extractor, ParamIdsList) {
  auto fm = run(R"(import pytest
@pytest.mark.parametrize(("a",), [1, pytest.param(2, marks=pytest.mark.xfail)], ids=["one", "two"])
def test_p(a): pass
)");
  ASSERT_EQ(fm.markers.size(), 1u);
  EXPECT_EQ(fm.markers[0].test_id, "t/test_a.py::test_p[two]");
}

TEST(Extractor, CommentsInParametrizeListsDoNotShiftIds) {
  auto fm =
      run("import pytest\n"
          "@pytest.mark.parametrize('p', [  # cases\n"
          "    pytest.param(1, marks=pytest.mark.skip),\n    # the slow one\n"
          "    pytest.param(2, marks=pytest.mark.xfail),\n"
          "], ids=[\n    # names\n    'one', 'two'])\n"
          "def test_p(p): pass\n");
  EXPECT_TRUE(find(fm, "t/test_a.py::test_p[one]", "skip"));
  EXPECT_TRUE(find(fm, "t/test_a.py::test_p[two]", "xfail"));
}

TEST(Extractor, StackedParametrizeFallsBackToTheFunctionId) {
  auto fm =
      run("import pytest\n"
          "@pytest.mark.parametrize('p', [pytest.param(1, marks=pytest.mark.skip, id='one')])\n"
          "@pytest.mark.parametrize('q', ['x', 'y'])\n"
          "def test_p(p, q): pass\n");
  const Marker* m = find(fm, "t/test_a.py::test_p", "skip");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->scope, MarkerScope::param);
}

TEST(Extractor, RuntimeSkipWithCondition) {
  auto fm = run(R"(import pytest, sys
def test_r():
    if sys.platform == "win32":
        pytest.skip("no windows")
    pytest.xfail("known DCOS-7")
)");
  ASSERT_EQ(fm.markers.size(), 2u);
  auto* s = find(fm, "t/test_a.py::test_r", "skip");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->scope, MarkerScope::runtime);
  EXPECT_EQ(s->condition, "sys.platform == \"win32\"");
  EXPECT_EQ(s->reason, "no windows");
  EXPECT_EQ(s->line, 4);
  auto* x = find(fm, "t/test_a.py::test_r", "xfail");
  EXPECT_EQ(x->condition, std::nullopt);
  EXPECT_EQ(x->ticket, "DCOS-7");
}

// Test bodies holding none of the names a runtime skip is called by are not walked; a name
// bound to pytest.skip under another spelling is one of them.
TEST(Extractor, RuntimeSkipUnderAnAlias) {
  auto fm = run(R"(from pytest import skip as bail, xfail
import pytest as pt
def test_a():
    x = 1
    if x:
        bail("aliased")
def test_b():
    pt.xfail("through the module alias")
def test_c():
    return [y for y in range(3)]
)");
  ASSERT_EQ(fm.markers.size(), 2u);
  auto* a = find(fm, "t/test_a.py::test_a", "skip");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->condition, "x");
  EXPECT_EQ(a->line, 6);
  ASSERT_TRUE(find(fm, "t/test_a.py::test_b", "xfail"));
}

TEST(Extractor, RuntimeImportorskipAndSkipTest) {
  auto fm = run(R"(import pytest, unittest
class TestU(unittest.TestCase):
    def test_a(self):
        self.skipTest("later")
    def test_b(self):
        pytest.importorskip("numpy")
)");
  ASSERT_EQ(fm.markers.size(), 2u);
  EXPECT_EQ(find(fm, "t/test_a.py::TestU::test_a", "skipTest")->reason, "later");
  auto* i = find(fm, "t/test_a.py::TestU::test_b", "importorskip");
  ASSERT_TRUE(i);
  EXPECT_EQ(i->kind, MarkerKind::skip);
}

TEST(Extractor, ModuleLevelSkip) {
  auto fm =
      run("import pytest\npytest.skip('gone', allow_module_level=True)\ndef test_a(): pass\n");
  ASSERT_EQ(fm.markers.size(), 1u);
  EXPECT_EQ(fm.markers[0].scope, MarkerScope::module);
  EXPECT_EQ(fm.markers[0].test_id, "t/test_a.py::test_a");
  EXPECT_EQ(fm.markers[0].reason, "gone");
}

TEST(Extractor, ModuleLevelSkipInsideIfAndTry) {
  auto fm = run(R"(import sys, pytest
if sys.platform == "win32":
    pytest.skip("posix only", allow_module_level=True)
try:
    import numpy
except ImportError:
    pytest.skip("no numpy", allow_module_level=True)
def test_a(): pass
def helper():
    pytest.skip("not at import time")
)");
  ASSERT_EQ(fm.markers.size(), 2u);
  EXPECT_EQ(fm.markers[0].test_id, "t/test_a.py::test_a");
  EXPECT_EQ(fm.markers[0].scope, MarkerScope::module);
  EXPECT_EQ(fm.markers[0].reason, "posix only");
  EXPECT_EQ(fm.markers[0].condition, "sys.platform == \"win32\"");
  EXPECT_EQ(fm.markers[1].reason, "no numpy");
  EXPECT_EQ(fm.markers[1].condition, std::nullopt);
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

TEST(Extractor, UnittestDecorators) {
  auto fm = run(R"(import unittest, sys
class T(unittest.TestCase):
    @unittest.skip("r1")
    def test_a(self): pass
    @unittest.skipIf(sys.version_info < (3, 8), "old")
    def test_b(self): pass
    @unittest.skipUnless(sys.platform.startswith("linux"), "linux only")
    def test_c(self): pass
    @unittest.expectedFailure
    def test_d(self): pass
)");
  ASSERT_EQ(fm.markers.size(), 4u);
  EXPECT_EQ(find(fm, "t/test_a.py::T::test_a", "skip")->reason, "r1");
  auto* b = find(fm, "t/test_a.py::T::test_b", "skipIf");
  EXPECT_EQ(b->condition, "sys.version_info < (3, 8)");
  EXPECT_EQ(b->reason, "old");
  EXPECT_EQ(b->kind, MarkerKind::skipif);
  EXPECT_EQ(find(fm, "t/test_a.py::T::test_c", "skipUnless")->condition,
            "sys.platform.startswith(\"linux\")");
  EXPECT_EQ(find(fm, "t/test_a.py::T::test_d", "expectedFailure")->kind, MarkerKind::xfail);
}

TEST(Extractor, FromUnittestImportSkipOnClass) {
  auto fm = run(R"(from unittest import TestCase, skip
@skip("whole class")
class Things(TestCase):
    def test_a(self): pass
    def test_b(self): pass
)");
  ASSERT_EQ(fm.markers.size(), 2u);
  EXPECT_EQ(find(fm, "t/test_a.py::Things::test_b", "skip")->scope, MarkerScope::klass);
}

TEST(Extractor, FixtureMarkersNotEffective) {
  auto fm = run(R"(import pytest
@pytest.fixture(scope="module")
@pytest.mark.skip
def server(): pass
)",
                "conftest.py");
  ASSERT_EQ(fm.markers.size(), 1u);
  EXPECT_EQ(fm.markers[0].test_id, "conftest.py::server");
  EXPECT_EQ(fm.markers[0].scope, MarkerScope::fixture);
  EXPECT_FALSE(fm.markers[0].effective);
}

TEST(Extractor, AsyncAndBlockNestedTests) {
  auto fm = run(R"(import pytest, sys
if sys.platform != "win32":
    @pytest.mark.skip
    async def test_a(): pass
else:
    @pytest.mark.skip
    def test_b(): pass
try:
    import x
except ImportError:
    class TestC:
        @pytest.mark.xfail
        def test_c(self): pass
)");
  ASSERT_EQ(fm.markers.size(), 3u);
  EXPECT_TRUE(find(fm, "t/test_a.py::test_a", "skip"));
  EXPECT_TRUE(find(fm, "t/test_a.py::test_b", "skip"));
  EXPECT_TRUE(find(fm, "t/test_a.py::TestC::test_c", "xfail"));
}

TEST(Extractor, RedefinitionShadowsTheEarlierDefinition) {
  // pytest collects only the last `test_a`: the first one's mark mutes nothing.
  auto fm =
      run("import pytest\n@pytest.mark.skip\ndef test_a(): pass\n"
          "@pytest.mark.xfail\ndef test_a(): pass\n"
          "class TestB:\n    pytestmark = pytest.mark.skip\n    def test_b(self): pass\n"
          "class TestB:\n    def test_b(self): pass\n"
          "if True:\n    @pytest.mark.skip\n    def test_c(): pass\n"
          "else:\n    @pytest.mark.skip\n    def test_c(): pass\n");
  ASSERT_EQ(fm.markers.size(), 5u);
  EXPECT_EQ(fm.markers[0].line, 2);
  EXPECT_FALSE(fm.markers[0].effective);
  EXPECT_EQ(fm.markers[1].line, 4);
  EXPECT_TRUE(fm.markers[1].effective);
  const Marker* cls = find(fm, "t/test_a.py::TestB::test_b", "skip");
  ASSERT_TRUE(cls);
  EXPECT_FALSE(cls->effective);
  // Alternatives in if/else branches are not redefinitions of each other.
  EXPECT_TRUE(fm.markers[3].effective);
  EXPECT_TRUE(fm.markers[4].effective);
}

TEST(Extractor, PytestmarkExtendedInPlace) {
  auto fm =
      run("import pytest\npytestmark = [pytest.mark.skipif('x', reason='a')]\n"
          "pytestmark += [pytest.mark.xfail(reason='b')]\n"
          "class TestX:\n    pytestmark = pytest.mark.skip\n"
          "    pytestmark += [pytest.mark.flaky(reruns=2)]\n    def test_m(self): pass\n"
          "def test_f(): pass\n");
  EXPECT_TRUE(find(fm, "t/test_a.py::test_f", "skipif"));
  EXPECT_TRUE(find(fm, "t/test_a.py::test_f", "xfail"));
  EXPECT_TRUE(find(fm, "t/test_a.py::TestX::test_m", "skip"));
  const Marker* flaky = find(fm, "t/test_a.py::TestX::test_m", "flaky");
  ASSERT_TRUE(flaky);
  EXPECT_EQ(flaky->scope, MarkerScope::klass);
  EXPECT_TRUE(find(fm, "t/test_a.py::TestX::test_m", "xfail"));
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

TEST(Extractor, FlakyPackageDecorator) {
  auto fm =
      run("from flaky import flaky\n@flaky\ndef test_a(): pass\n@flaky(max_runs=3)\n"
          "def test_b(): pass\n");
  ASSERT_EQ(fm.markers.size(), 2u);
  EXPECT_EQ(find(fm, "t/test_a.py::test_b", "flaky")->args[0].first, "max_runs");
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
