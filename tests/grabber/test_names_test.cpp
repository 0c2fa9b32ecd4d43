// python_classes, python_functions and __test__: which classes and functions the extractor
// treats as tests.
#include <gtest/gtest.h>

#include <algorithm>

#include "grabber/grabber.h"

namespace flakegrab {
namespace {

std::vector<std::string> ids(const FileMarkers& fm) {
  std::vector<std::string> out;
  for (const auto& m : fm.markers) out.push_back(m.test_id);
  std::sort(out.begin(), out.end());
  return out;
}

constexpr const char* kSource = R"(import pytest
import unittest

class DescribeLogin:
    @pytest.mark.skip
    def it_works(self): pass

    @pytest.mark.skip
    def test_old(self): pass

class TestLegacy:
    @pytest.mark.skip
    def it_is_old(self): pass

class LoginCase(unittest.TestCase):
    @unittest.skip("x")
    def test_a(self): pass

    @unittest.skip("x")
    def it_b(self): pass

@pytest.mark.xfail
def it_runs(): pass

@pytest.mark.xfail
def test_runs(): pass
)";

TEST(TestNames, ConfiguredPrefixesAndGlobsPickTests) {
  TestNames names;
  names.classes = {"Describe*"};
  names.functions = {"it_"};
  auto got = ids(extract_markers("t.py", kSource, ScanConfig::defaults(), names));
  EXPECT_EQ(got, (std::vector<std::string>{"t.py::DescribeLogin::it_works",
                                           "t.py::LoginCase::test_a", "t.py::it_runs"}));
  // pytest's defaults: Test* classes, test* functions.
  auto defaults = ids(extract_markers("t.py", kSource, ScanConfig::defaults()));
  EXPECT_EQ(defaults, (std::vector<std::string>{"t.py::LoginCase::test_a", "t.py::test_runs"}));
}

TEST(TestNames, DunderTestFalseOnAClassOrModule) {
  const char* cls = R"(import pytest

class TestBase:
    __test__ = False

    @pytest.mark.skip
    def test_shared(self): pass

class Checks:
    __test__ = True

    @pytest.mark.skip
    def test_on(self): pass
)";
  EXPECT_EQ(ids(extract_markers("t.py", cls, ScanConfig::defaults())),
            (std::vector<std::string>{"t.py::Checks::test_on"}));
  const char* mod = R"(import pytest
__test__ = False

@pytest.mark.skip
def test_hidden(): pass
)";
  EXPECT_TRUE(extract_markers("t.py", mod, ScanConfig::defaults()).markers.empty());
}

}  // namespace
}  // namespace flakegrab
