// Debian's libtree-sitter 0.20.7 double-freed (ts_subtree_release) on this shape of input and
// took the whole scan down; the tree-sitter built from npm parses it. The test must survive the
// parse and still see the well-formed test after the damage.
#include <string>

#include <gtest/gtest.h>

#include "grabber/grabber.h"

namespace flakegrab {
namespace {

TEST(DeepNesting, UnclosedBracketsDoNotKillTheParse) {
  std::string src = "import pytest\n\n@pytest.mark.xfail(";
  for (int i = 0; i < 33000; ++i) src += "[(";
  src += "\ndef test_broken(): pass\n";
  ASSERT_GT(src.size(), 60'000u);  // the size that crashed: about 66 KB of brackets

  FileMarkers fm = extract_markers("t/test_deep.py", src, ScanConfig::defaults());
  EXPECT_TRUE(fm.parse_error);
}

TEST(DeepNesting, DeepButValidNestingIsParsed) {
  std::string src = "import pytest\n\nX = ";
  for (int i = 0; i < 2000; ++i) src += "[";
  for (int i = 0; i < 2000; ++i) src += "]";
  src += "\n\n@pytest.mark.skip(reason='after the nest')\ndef test_after(): pass\n";

  FileMarkers fm = extract_markers("t/test_deep.py", src, ScanConfig::defaults());
  ASSERT_EQ(fm.markers.size(), 1u);
  EXPECT_EQ(fm.markers[0].test_id, "t/test_deep.py::test_after");
  EXPECT_EQ(fm.markers[0].reason, "after the nest");
}

}  // namespace
}  // namespace flakegrab
