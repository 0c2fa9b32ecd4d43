// Re-linking without a parse: when a helper module changes, the cached results of the test
// modules that use it are re-linked (their link sites asked again, their records mended)
// rather than extracted again. Each rescan is compared, record by record, with a scan
// without the cache, over a tree shaped like pandas' and CPython's (a decorators module with
// factories, aliases, mark lists and decorator functions; a list of params in another module;
// a base class in a third), through a series of helper edits of every kind.
#include <gtest/gtest.h>

#include <filesystem>

#include "grabber/grabber.h"
#include "tests/support/process.h"

namespace flakegrab {
namespace {

namespace fs = std::filesystem;

struct Helper {
  std::string top;  // lines above everything (moves every line of the module)
  std::string windows = "Running on Windows";
  std::string network = "network is flaky";
  std::string gui = "needs a display";
  std::string ci = "fails on CI";
  std::string guard = "sys.version_info < (3, 99)";
  std::string windows_value;  // replaces the whole skip_if_windows value when set
  std::string bits_marker = "skipif";

  std::string text() const {
    std::string win =
        windows_value.empty()
            ? "pytest.mark.skipif(sys.platform == \"win32\", reason=\"" + windows + "\")"
            : windows_value;
    return top +
           "import sys\nimport unittest\n\nimport pytest\n\n\n"
           "def safe_import(mod):\n    try:\n        __import__(mod)\n    except ImportError:\n"
           "        return False\n    return True\n\n\n"
           "def skip_if_no(package, min_version=None):\n"
           "    msg = f\"Could not import '{package}'\"\n"
           "    if " +
           guard +
           ":\n"
           "        return pytest.mark.skipif(not safe_import(package), reason=msg)\n"
           "    return pytest.mark.skip(reason=msg)\n\n\n"
           "skip_if_windows = " +
           win +
           "\n"
           "skip_if_32bit = pytest.mark." +
           bits_marker +
           "(sys.maxsize < 2**32, reason=\"32-bit\")\n"
           "network_marks = [pytest.mark.network, pytest.mark.xfail(reason=\"" +
           network +
           "\", strict=False)]\n"
           "xfail_mark = pytest.mark.xfail(reason=\"" +
           ci +
           " at run time\")\n\n\n"
           "def requires_resource(name):\n    if name == \"gui\":\n"
           "        return unittest.skip(\"" +
           gui +
           "\")\n    return lambda f: f\n\n\n"
           "def xfail_on_ci(func):\n    return pytest.mark.xfail(reason=\"" +
           ci + "\")(func)\n";
  }
};

// A test module of `n` tests in a class, most unmarked, as real modules are.
std::string many_tests(const std::string& cls, int n) {
  std::string s = "class " + cls + ":\n";
  for (int i = 0; i < n; ++i)
    s += "    def test_" + std::to_string(i) + "(self):\n        assert " + std::to_string(i) +
         " >= 0\n\n";
  return s;
}

struct Tree {
  test::TempDir dir;
  fs::path root() const { return dir / "tree"; }
  void write(const std::string& rel, const std::string& text) {
    fs::create_directories((root() / rel).parent_path());
    test::write_file(root() / rel, text);
  }
  ScanResult cached() {
    return scan_directory(root(), ScanConfig::defaults(), 2, nullptr, dir / "cache");
  }
  ScanResult fresh() { return scan_directory(root(), ScanConfig::defaults(), 2); }

  void build(const Helper& h) {
    write("pkg/__init__.py", "");
    write("pkg/util/__init__.py", "");
    write("pkg/util/_test_decorators.py", h.text());
    write("pkg/util/cases.py",
          "import pytest\n\nfrom pkg.util._test_decorators import skip_if_windows\n\n"
          "VALS = [pytest.param(1, marks=skip_if_windows), 2, pytest.param(3, id=\"three\")]\n");
    write("pkg/util/base.py",
          "import pkg.util._test_decorators as td\n\n\n@td.skip_if_windows\nclass BaseTests:\n"
          "    def test_inherited(self):\n        pass\n\n"
          "    @td.skip_if_no(\"dask\")\n    def test_inherited_dask(self):\n        pass\n");
    write("tests/test_frame.py",
          "import pytest\n\nimport pkg.util._test_decorators as td\nfrom pkg.util import cases\n"
          "\npytestmark = td.skip_if_32bit\n\n\n"
          "@td.skip_if_no(\"scipy\")\ndef test_scipy():\n    pass\n\n\n"
          "@td.skip_if_windows\ndef test_windows():\n    pass\n\n\n"
          "@pytest.mark.parametrize(\"v\", cases.VALS)\ndef test_values(v):\n    pass\n\n\n"
          "@td.skip_if_windows\n" +
              many_tests("TestFrame", 12));
    write("tests/test_alias.py",
          "import pkg.util._test_decorators as td\n\nskip_no_scipy = td.skip_if_no(\"scipy\")\n"
          "pytestmark = td.network_marks\n\n\n@skip_no_scipy\ndef test_a():\n    pass\n\n\n"
          "@skip_no_scipy\ndef test_b():\n    pass\n\n\n" +
              many_tests("TestAlias", 6));
    write("tests/test_support.py",
          "import unittest\n\nfrom pkg.util import _test_decorators as support\n\n\n"
          "class TestGui(unittest.TestCase):\n    @support.requires_resource(\"gui\")\n"
          "    def test_gui(self):\n        pass\n\n    def test_plain(self):\n        pass\n\n\n"
          "@support.xfail_on_ci\ndef test_ci():\n    pass\n");
    write("tests/test_inherit.py",
          "from pkg.util.base import BaseTests\n\n\nclass TestImpl(BaseTests):\n"
          "    def test_own(self):\n        pass\n");
    // An answer the test changes itself (a condition of its own): extracted again, not mended.
    write("tests/test_runtime.py",
          "import sys\n\nimport pkg.util._test_decorators as td\n\n\n"
          "def test_rt(request):\n    if sys.platform == \"linux\":\n"
          "        request.applymarker(td.xfail_mark)\n");
    write("tests/test_plain.py",
          "import pytest\n\n\n@pytest.mark.xfail(reason=\"own\")\ndef test_p():\n    pass\n\n\n" +
              many_tests("TestPlain", 20));
  }
};

std::string lines(const ScanResult& r) {
  std::string out;
  for (const auto& m : r.markers) out += to_json(m).dump() + "\n";
  return out;
}

// The marker `name` of test `id` whose reason is `reason` (any, when empty).
const Marker* find(const ScanResult& r, const std::string& id, const std::string& name,
                   const std::string& reason = "") {
  for (const auto& m : r.markers)
    if (m.test_id == id && m.name == name && (reason.empty() || m.reason == reason)) return &m;
  return nullptr;
}

// The 1-based line of `text` that starts with `prefix`.
int line_starting(const std::string& text, const std::string& prefix) {
  int line = 1;
  for (size_t at = 0; at < text.size(); at = text.find('\n', at) + 1, ++line)
    if (text.compare(at, prefix.size(), prefix) == 0) return line;
  return 0;
}

// Scans with the cache after `h` is written and checks it against a scan without; returns it.
ScanResult rescan(Tree& t, const Helper& h) {
  t.write("pkg/util/_test_decorators.py", h.text());
  ScanResult cached = t.cached();
  EXPECT_EQ(lines(cached), lines(t.fresh()));
  return cached;
}

TEST(Relink, HelperEditsReLinkTheirUsersWithoutParsingThemAndGiveTheRecordsOfAFreshScan) {
  Tree t;
  Helper h;
  t.build(h);
  ScanResult first = t.cached();
  EXPECT_EQ(first.stats.files_relinked, 0u);
  EXPECT_EQ(lines(first), lines(t.fresh()));
  const std::string win = "Running on Windows";
  ASSERT_NE(find(first, "tests/test_frame.py::TestFrame::test_11", "skipif", win), nullptr);
  ASSERT_NE(find(first, "tests/test_frame.py::test_values[1]", "skipif", win), nullptr);
  ASSERT_NE(find(first, "tests/test_inherit.py::TestImpl::test_inherited", "skipif", win), nullptr);

  // A mark's reason: its users are re-linked (the module-level alias, the class decorator, the
  // param list of another module, the base class's decorator), none parsed.
  h.windows = "Windows (changed)";
  ScanResult reason = rescan(t, h);
  EXPECT_EQ(reason.stats.files_parsed, 0u);
  EXPECT_EQ(reason.stats.files_relinked, 2u);  // test_frame, test_inherit
  const std::string changed = "Windows (changed)";
  EXPECT_NE(find(reason, "tests/test_frame.py::TestFrame::test_11", "skipif", changed), nullptr);
  EXPECT_NE(find(reason, "tests/test_frame.py::test_values[1]", "skipif", changed), nullptr);
  EXPECT_NE(find(reason, "tests/test_inherit.py::TestImpl::test_inherited", "skipif", changed),
            nullptr);
  EXPECT_EQ(find(reason, "tests/test_frame.py::TestFrame::test_11", "skipif", win), nullptr);

  // Every line of the helper moves: every user's origins are mended, none is parsed but the
  // one whose answer it alters itself (test_runtime's condition).
  h.top = "# Decorators for tests.\n#\n# Moved down three lines.\n";
  ScanResult moved = rescan(t, h);
  EXPECT_EQ(moved.stats.files_parsed, 1u);
  EXPECT_EQ(moved.stats.files_relinked, 4u);
  const int factory_line = line_starting(h.text(), "        return pytest.mark.skipif(not");
  ASSERT_GT(factory_line, 3);
  EXPECT_EQ(find(moved, "tests/test_alias.py::test_a", "skipif")->origin,
            "pkg/util/_test_decorators.py:" + std::to_string(factory_line));

  // A mark list's item, a unittest decorator's reason, a decorator function's mark, a
  // factory's guard: each re-linked.
  h.network = "network (changed)";
  h.gui = "display (changed)";
  h.ci = "CI (changed)";
  h.guard = "sys.version_info < (4, 0)";
  ScanResult several = rescan(t, h);
  EXPECT_GE(several.stats.files_relinked, 3u);
  EXPECT_EQ(find(several, "tests/test_support.py::TestGui::test_gui", "skip")->reason,
            "display (changed)");
  EXPECT_EQ(find(several, "tests/test_alias.py::TestAlias::test_5", "xfail")->reason,
            "network (changed)");

  // Answers of another shape (two marks where there was one; another marker): extracted
  // again, with the records of a fresh scan all the same.
  h.windows_value =
      "[pytest.mark.skipif(sys.platform == \"win32\", reason=\"w\"), pytest.mark.flaky]";
  ScanResult listed = rescan(t, h);
  EXPECT_GE(listed.stats.files_parsed, 2u);
  EXPECT_NE(find(listed, "tests/test_frame.py::test_windows", "flaky"), nullptr);
  h.bits_marker = "xfail";
  ScanResult kind = rescan(t, h);
  EXPECT_NE(find(kind, "tests/test_frame.py::test_scipy", "xfail"), nullptr);

  // The base class's own decorator changes: the expression its site kept is stale, and the
  // class is a plain dependency, so its user is extracted again.
  std::string base = test::read_file(t.root() / "pkg/util/base.py");
  base.replace(base.find("@td.skip_if_windows"), 19, "@td.skip_if_32bit");
  t.write("pkg/util/base.py", base);
  ScanResult decorated = t.cached();
  EXPECT_EQ(lines(decorated), lines(t.fresh()));
  EXPECT_EQ(decorated.stats.files_parsed, 1u);
  EXPECT_NE(find(decorated, "tests/test_inherit.py::TestImpl::test_inherited", "xfail"), nullptr);

  // And back: the re-linked results keep re-linking.
  h = Helper{};
  rescan(t, h);
  h.windows = "Windows (again)";
  ScanResult again = rescan(t, h);
  EXPECT_EQ(again.stats.files_parsed, 0u);
  EXPECT_NE(find(again, "tests/test_frame.py::test_windows", "skipif", "Windows (again)"), nullptr);
}

// A test module whose own summary the link step reads (a star import: the name is bound by
// the module's own `from ... import *`) is extracted again, never re-linked from a guess.
TEST(Relink, AnswersThatReadTheTestModuleItselfAreExtractedAgain) {
  Tree t;
  t.write("helpers.py", "import pytest\n\nslow = pytest.mark.skip(reason=\"slow\")\n");
  t.write("test_star.py", "from helpers import *\n\n\n@slow\ndef test_s():\n    pass\n");
  t.write("test_named.py", "from helpers import slow\n\n\n@slow\ndef test_n():\n    pass\n");
  t.cached();
  t.write("helpers.py", "import pytest\n\nslow = pytest.mark.skip(reason=\"very slow\")\n");
  ScanResult r = t.cached();
  EXPECT_EQ(lines(r), lines(t.fresh()));
  EXPECT_EQ(r.stats.files_relinked, 1u);
  EXPECT_EQ(r.stats.files_parsed, 1u);
  EXPECT_EQ(find(r, "test_star.py::test_s", "skip")->reason, "very slow");
  EXPECT_EQ(find(r, "test_named.py::test_n", "skip")->reason, "very slow");
}

}  // namespace
}  // namespace flakegrab
