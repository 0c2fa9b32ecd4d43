// What the link step parses: a helper module is parsed only when a name a test file uses where
// a mark can be (or a binding such a name reads) leads into it, not for every module-level
// `x = Call(...)` of the test file.
#include <gtest/gtest.h>

#include <map>
#include <string>

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
  EXPECT_EQ(r.dependencies, std::vector<std::string>{"pkg/marks.py"});
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
