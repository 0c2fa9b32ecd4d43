// What the link step parses: a helper module is parsed only when a name a test file uses where
// a mark can be (or a binding such a name reads) leads into it, not for every module-level
// `x = Call(...)` of the test file.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "grabber/python/mark_words.h"
#include "grabber/python/module_index.h"

namespace flakegrab {
namespace {

struct Tree {
  std::map<std::string, std::string> files;
  ModuleIndex index() {
    return ModuleIndex(
        [this](const std::string& p) -> std::optional<std::string> {
          auto it = files.find(p);
          if (it == files.end()) return std::nullopt;
          return it->second;
        },
        ScanConfig::defaults(), 1 << 20);
  }
};

// pkg/frame.py defines a class (a big module in a real tree, pandas/core/frame.py); pkg/marks.py
// a mark factory and a mark.
Tree helpers() {
  Tree t;
  t.files["pkg/__init__.py"] = "";
  t.files["pkg/frame.py"] =
      "class Frame:\n    def __init__(self, *a):\n        pass\n\n    def copy(self):\n"
      "        return self\n";
  t.files["pkg/marks.py"] =
      "import pytest\n\n\ndef needs(what):\n    return pytest.mark.skipif(True, reason=what)\n\n\n"
      "slow_xfail = pytest.mark.xfail(reason=\"slow\")\n";
  t.files["pkg/tests/__init__.py"] = "";
  return t;
}

FileMarkers extract(ModuleIndex& index, const std::string& path, const std::string& source) {
  return extract_markers_linked(path, source, ScanConfig::defaults(), TestNames{}, &index);
}

TEST(LinkCost, ModuleLevelValuesThatNoMarkReadsAreNotFollowed) {
  Tree t = helpers();
  ModuleIndex index = t.index();
  // `df` and `b` are never where a mark goes: pkg/frame.py need not be parsed to know that
  // Frame is no mark factory.
  FileMarkers r = extract(index, "pkg/tests/test_a.py",
                          "import pytest\nfrom pkg.frame import Frame\n\ndf = Frame(1, 2)\n"
                          "b = df.copy()\n\n\n@pytest.mark.skip\ndef test_x():\n    assert b\n");
  ASSERT_EQ(r.markers.size(), 1u);
  EXPECT_EQ(r.markers[0].name, "skip");
  EXPECT_EQ(index.parsed().modules, 0u);
  EXPECT_TRUE(r.dependencies.empty());
}

TEST(LinkCost, AValueUsedAsAMarkIsStillFollowed) {
  Tree t = helpers();
  ModuleIndex index = t.index();
  // Written before the names that read them, used as marks after: each is asked then.
  FileMarkers r = extract(index, "pkg/tests/test_b.py",
                          "from pkg import marks\nfrom pkg.frame import Frame\n\n"
                          "needs_gpu = marks.needs(\"gpu\")\ndf = Frame()\nalso = needs_gpu\n"
                          "pytestmark = marks.slow_xfail\n\n\n@also\ndef test_y():\n    pass\n");
  ASSERT_EQ(r.markers.size(), 2u);
  EXPECT_EQ(r.markers[0].test_id, "pkg/tests/test_b.py::test_y");
  EXPECT_EQ(r.markers[0].name, "skipif");
  EXPECT_EQ(r.markers[0].reason, "gpu");
  EXPECT_EQ(r.markers[0].factory, "pkg.marks.needs");
  EXPECT_EQ(r.markers[1].name, "xfail");
  EXPECT_EQ(r.markers[1].scope, MarkerScope::module);
  // pkg/marks.py is parsed, pkg/frame.py (df is never used) is not.
  EXPECT_EQ(index.parsed().modules, 1u);
  EXPECT_EQ(index.parsed().bytes, t.files["pkg/marks.py"].size());
  // The names it used of pkg/marks.py, each by itself: another name of it may change.
  EXPECT_EQ(r.dependencies,
            (std::vector<std::string>{"pkg/marks.py#needs", "pkg/marks.py#slow_xfail"}));
}

TEST(LinkCost, PendingValuesOfANameAreAskedInTheOrderWritten) {
  Tree t = helpers();
  ModuleIndex index = t.index();
  // A later value that is no mark leaves a name's mark binding as it was, so the questions
  // are asked in the order written: `mark` stays the factory's mark.
  FileMarkers r = extract(index, "pkg/tests/test_c.py",
                          "from pkg import marks\nfrom pkg.frame import Frame\n\n"
                          "mark = marks.needs(\"x\")\nmark = Frame()\n\n\n@mark\ndef test_z():\n"
                          "    pass\n");
  ASSERT_EQ(r.markers.size(), 1u);
  EXPECT_EQ(r.markers[0].name, "skipif");
  EXPECT_EQ(r.markers[0].line, 8);
  EXPECT_EQ(index.parsed().modules, 2u);
}

}  // namespace
}  // namespace flakegrab

namespace flakegrab {
namespace {

// A package whose __init__ re-exports a decorator that skips (pandas' `tm.network`, from
// pandas/_testing/_io.py) next to names that give no mark.
Tree reexporting() {
  Tree t;
  t.files["pkg/__init__.py"] =
      "# isort:skip\n\"\"\"Helpers; skip NaN values with skipna.\"\"\"\n"
      "from pkg._io import network, round_trip\nfrom pkg.frame import Frame\n\n\n"
      "def total(values, skipna=True):\n    return sum(values)\n";
  t.files["pkg/_io.py"] =
      "import pytest\n\n\ndef network(f):\n    pytest.skip(\"no network\")\n    return f\n\n\n"
      "def round_trip(x):\n    return x\n";
  t.files["pkg/frame.py"] = "class Frame:\n    \"\"\"May skip rows.\"\"\"\n";
  return t;
}

TEST(LinkCost, AFileIsKeptForAReexportedMarkOnlyWhenItSpellsItsName) {
  Tree t = reexporting();
  ModuleIndex index = t.index();
  // pkg/__init__.py's comment, docstring and `skipna` name no mark: only `network` leads to one.
  EXPECT_TRUE(index.imports_marks("tests/test_a.py",
                                  "import pkg as tm\n\n\n@tm.network\ndef test_a():\n    pass\n"));
  EXPECT_FALSE(index.imports_marks("tests/test_b.py",
                                   "import pkg as tm\n\n\ndef test_b():\n    tm.total([1])\n"));
  EXPECT_TRUE(index.imports_marks("tests/test_c.py", "from pkg import network\n"));
  EXPECT_FALSE(index.imports_marks("tests/test_d.py", "from pkg import Frame, total\n"));
  EXPECT_EQ(index.parsed().modules, 0u);  // all of it read, none of it parsed
}

TEST(LinkCost, AModuleThatUsesAReexportedMarkMayGiveItUnderAnyName) {
  Tree t = reexporting();
  t.files["pkg/__init__.py"] += "requires_net = network\n";
  t.files["other/__init__.py"] = "from pkg._io import *\n";
  ModuleIndex index = t.index();
  EXPECT_TRUE(index.imports_marks("tests/test_b.py", "import pkg as tm\n\ntm.total([1])\n"));
  EXPECT_TRUE(index.imports_marks("tests/test_e.py", "import other\n"));
}

TEST(LinkCost, MarkWordsAreReadInCodeOnly) {
  const ScanConfig config = ScanConfig::defaults();
  EXPECT_FALSE(python::code_names_mark("# isort:skip\nx = 1\n", config));
  EXPECT_FALSE(python::code_names_mark("'''skip this'''\ns = \"xfail\"\nf(skipna=True)\n", config));
  EXPECT_FALSE(python::code_names_mark("rb'skip' + f\"{x} skip\"\n", config));
  EXPECT_TRUE(python::code_names_mark("import pytest\nm = pytest.mark.skip\n", config));
  EXPECT_TRUE(python::code_names_mark("raise unittest.SkipTest('x')\n", config));
  EXPECT_TRUE(python::code_names_mark("def skip_if_no(pkg): pass\n", config));
  EXPECT_TRUE(python::code_names_mark("x = 'open\n", config));  // in doubt
  // An f-string's fields are code, strings in them included; its text and `{{` are not.
  EXPECT_TRUE(python::code_names_mark("f'{pytest.skip()}'\n", config));
  EXPECT_TRUE(python::code_names_mark("f\"{d['}'] + pytest.skip()}\"\n", config));
  EXPECT_TRUE(python::code_names_mark("rf'{d[\"skip\"]}'\n", config));
  EXPECT_FALSE(python::code_names_mark("f'skip {{skip}} {x:>{width}}'\n", config));
  // A mark added at run time is named in a string: `add_marker("xfail")`.
  EXPECT_TRUE(python::code_names_mark("request.node.add_marker(m)\n", config));
  EXPECT_TRUE(python::code_names_mark("request.applymarker(m)\n", config));
}

// A name that says mute is one in any case (extractor::mute_kind), and only a whole word of it
// counts: `mutex`, `skipna` and `retrying` say nothing.
TEST(LinkCost, MuteNamesAreReadInAnyCase) {
  const ScanConfig config = ScanConfig::defaults();
  for (const char* name :
       {"retry", "Retry", "RERUN_FAILURES", "rerun", "Flaky_on_ci", "XFAIL_win", "test_XFail",
        "Known_Failure", "Skip_If_No", "SKIP_UNLESS_linux", "skipIfNoNetwork", "skipUnlessGPU",
        "SKIP_slow", "windows_Skip", "Quarantined", "mute", "MUTED", "Mute_on_ci", "skipWindows"})
    EXPECT_TRUE(python::code_names_mark(std::string("x = ") + name + "\n", config)) << name;
  for (const char* name : {"retrying", "mutex", "Mutex", "skipna", "Skip", "sk", "xfailed",
                           "unknown_failure_x", "_", "muting"})
    EXPECT_FALSE(python::code_names_mark(std::string("x = ") + name + "\n", config)) << name;
}

}  // namespace
}  // namespace flakegrab
