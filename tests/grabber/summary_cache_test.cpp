// Helper summaries kept between scans (ModuleIndex::cache_summaries): a helper whose bytes are
// unchanged is not parsed again, its cached summary links the same records as a parse, and
// bytes that do not decode, or a changed helper, are parsed.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>

#include "base/fnv1a.h"
#include "grabber/python/module_index.h"

namespace flakegrab {
namespace {

struct Tree {
  std::map<std::string, std::string> files;
  std::map<std::string, std::string> cache;  // the scan cache's summary entries
  std::unique_ptr<ModuleIndex> index(bool cached = true) {
    auto i = std::make_unique<ModuleIndex>(
        [this](const std::string& p) -> std::optional<std::string> {
          auto it = files.find(p);
          if (it == files.end()) return std::nullopt;
          return it->second;
        },
        ScanConfig::defaults(), 1 << 20, std::string{},
        [this](const std::string& p) -> std::optional<std::string> {
          auto it = files.find(p);
          if (it == files.end()) return std::nullopt;
          return hex64(fnv1a64(it->second));
        });
    if (cached)
      i->cache_summaries(
          {[this](const std::string& k) -> std::optional<std::string> {
             auto it = cache.find(k);
             if (it == cache.end()) return std::nullopt;
             return it->second;
           },
           [this](const std::string& k, std::string b) { cache[k] = std::move(b); }});
    return i;
  }
};

// Every kind of name a summary holds: a factory with a default and a guard, a mark list, a
// decorator function, a parametrize list with param marks, a base class with a marked method,
// a setUp skip and pytestmark, a star import, a nested class subclasses collect, names unpacked
// from a factory's tuple.
const char* kHelper = R"(import sys
import unittest

import pytest
from pkg.more import *


def skip_if_no(pkg, min_version="1.0"):
    if sys.platform == "win32":
        return pytest.mark.skip(reason="windows")
    return pytest.mark.skipif(True, reason=f"needs {pkg} {min_version}")


marks = [pytest.mark.xfail(reason="a", strict=True), pytest.mark.slow]
CASES = [1, pytest.param(2, marks=pytest.mark.xfail(reason="two"), id="two")]


def requires(name):
    def decorator(func):
        return unittest.skip(f"needs {name}")(func)
    return decorator


@pytest.mark.skipif(sys.platform == "darwin", reason="mac")
class BaseTests:
    pytestmark = pytest.mark.flaky(reruns=2)

    @pytest.mark.xfail(reason="base")
    def test_base(self):
        pass

    @pytest.mark.parametrize("x", CASES)
    def test_param(self, x):
        pass

    @pytest.mark.xfail(reason="nested class")
    class TestNested:
        @pytest.mark.skip(reason="nested")
        def test_nested(self):
            pass


def _importorskip(mod):
    has = False
    return has, pytest.mark.skipif(not has, reason=f"requires {mod}")


has_dask, requires_dask = _importorskip("dask")


class Case(unittest.TestCase):
    def setUp(self):
        if sys.platform == "win32":
            self.skipTest("no windows")

    def test_case(self):
        pass


@pytest.mark.xfail(reason="imported")
def test_shared():
    pass
)";

const char* kTest = R"(import pytest

import pkg.helpers as h
from pkg.helpers import BaseTests, Case, CASES, requires, requires_dask, star_mark, test_shared


@h.skip_if_no("scipy")
@h.marks
def test_a():
    pass


@requires("gui")
def test_b():
    pass


@pytest.mark.parametrize("v", CASES)
def test_c(v):
    pass


@star_mark
def test_d():
    pass


@requires_dask
def test_e():
    pass


class TestImpl(BaseTests):
    pass


class TestCase(Case):
    pass
)";

Tree tree() {
  Tree t;
  t.files["pkg/__init__.py"] = "";
  t.files["pkg/helpers.py"] = kHelper;
  t.files["pkg/more.py"] = "import pytest\n\nstar_mark = pytest.mark.skip(reason=\"star\")\n";
  t.files["pkg/tests/__init__.py"] = "";
  return t;
}

FileMarkers extract(ModuleIndex& index) {
  return extract_markers_linked("pkg/tests/test_x.py", kTest, ScanConfig::defaults(), TestNames{},
                                &index);
}

TEST(SummaryCache, ACachedSummaryLinksTheRecordsOfAParse) {
  Tree t = tree();
  auto plain = t.index(false);
  const FileMarkers want = extract(*plain);
  ASSERT_GE(want.markers.size(), 10u);
  std::set<std::string> reasons;
  for (const auto& m : want.markers) reasons.insert(m.test_id + " " + m.reason.value_or(""));
  EXPECT_TRUE(reasons.count("pkg/tests/test_x.py::TestImpl::TestNested::test_nested nested"));
  EXPECT_TRUE(reasons.count("pkg/tests/test_x.py::TestImpl::TestNested::test_nested nested class"));
  EXPECT_TRUE(reasons.count("pkg/tests/test_x.py::test_e requires dask"));
  EXPECT_TRUE(reasons.count("pkg/tests/test_x.py::test_shared imported"));

  auto first = t.index();
  EXPECT_EQ(extract(*first).markers, want.markers);
  EXPECT_EQ(first->parsed().modules, 2u);
  EXPECT_EQ(first->parsed().cached, 0u);
  EXPECT_EQ(t.cache.size(), 2u);

  auto second = t.index();
  EXPECT_EQ(extract(*second).markers, want.markers);
  EXPECT_EQ(second->parsed().modules, 0u);
  EXPECT_EQ(second->parsed().cached, 2u);
  EXPECT_EQ(extract(*second).dependencies, want.dependencies);
}

TEST(SummaryCache, UndecodableBytesAndChangedHelpersAreParsed) {
  Tree t = tree();
  auto first = t.index();
  const FileMarkers want = extract(*first);
  for (auto& [key, bytes] : t.cache) bytes = bytes.substr(0, bytes.size() / 2);
  auto torn = t.index();
  EXPECT_EQ(extract(*torn).markers, want.markers);
  EXPECT_EQ(torn->parsed().modules, 2u);

  t.files["pkg/more.py"] = "import pytest\n\nstar_mark = pytest.mark.skip(reason=\"moved\")\n";
  auto changed = t.index();
  FileMarkers now = extract(*changed);
  EXPECT_EQ(changed->parsed().modules, 1u);
  EXPECT_EQ(changed->parsed().cached, 1u);
  bool moved = false;
  for (const auto& m : now.markers) moved = moved || m.reason == "moved";
  EXPECT_TRUE(moved);
}

}  // namespace
}  // namespace flakegrab
