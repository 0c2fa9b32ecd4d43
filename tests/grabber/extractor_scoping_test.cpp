// Issue 9, the per-file part: which classes are TestCases, which imports bind unittest, and
// which of two alternative definitions pytest collects.
#include <string>

#include <gtest/gtest.h>

#include "grabber/grabber.h"

namespace flakegrab {
namespace {

FileMarkers run(std::string_view src) {
  return extract_markers("t/test_a.py", src, ScanConfig::defaults());
}

const Marker* find(const FileMarkers& fm, std::string_view id, std::string_view name) {
  for (const auto& m : fm.markers)
    if (m.test_id == id && m.name == name) return &m;
  return nullptr;
}

TEST(ExtractorScoping, MixinNamedLikeTestCaseIsNotOne) {
  // Before: any base text containing "TestCase" made the class collected.
  auto fm = run(R"(import unittest

class NotATestCaseMixin:
    pass

class Helper(NotATestCaseMixin):
    @unittest.skip("x")
    def test_h(self): pass
)");
  EXPECT_EQ(find(fm, "t/test_a.py::Helper::test_h", "skip"), nullptr);
}

TEST(ExtractorScoping, TestCaseThroughLocalBaseAliasOrExternal) {
  auto fm = run(R"(import unittest as ut
from unittest import TestCase as TC
from django.test import TestCase

class Base(ut.TestCase):
    pass

class Impl(Base):
    @ut.skip("a")
    def test_a(self): pass

class Aliased(TC):
    @ut.skip("b")
    def test_b(self): pass

class Django(TestCase):
    @ut.skip("c")
    def test_c(self): pass
)");
  EXPECT_NE(find(fm, "t/test_a.py::Impl::test_a", "skip"), nullptr);
  EXPECT_NE(find(fm, "t/test_a.py::Aliased::test_b", "skip"), nullptr);
  EXPECT_NE(find(fm, "t/test_a.py::Django::test_c", "skip"), nullptr);
}

TEST(ExtractorScoping, ImportUnittestMockBindsUnittest) {
  auto fm = run(R"(import unittest.mock

class T(unittest.TestCase):
    @unittest.skip("needs network")
    def test_x(self): pass
)");
  const Marker* m = find(fm, "t/test_a.py::T::test_x", "skip");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->reason, "needs network");
}

TEST(ExtractorScoping, TryDefinitionIsCollectedExceptOneIsNot) {
  auto fm = run(R"(import pytest

try:
    import numpy
    @pytest.mark.xfail(reason="try")
    def test_n(): pass
except ImportError:
    @pytest.mark.skip(reason="no numpy")
    def test_n(): pass
    @pytest.mark.skip(reason="only here")
    def test_other(): pass
)");
  const Marker* t = find(fm, "t/test_a.py::test_n", "xfail");
  const Marker* e = find(fm, "t/test_a.py::test_n", "skip");
  const Marker* o = find(fm, "t/test_a.py::test_other", "skip");
  ASSERT_TRUE(t && e && o);
  EXPECT_TRUE(t->effective);
  EXPECT_FALSE(e->effective);
  EXPECT_TRUE(o->effective);  // not an alternative: nothing in `try` defines it
}

}  // namespace
}  // namespace flakegrab
