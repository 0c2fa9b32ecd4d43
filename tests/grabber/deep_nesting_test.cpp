// Debian's libtree-sitter 0.20.7 double-freed (ts_subtree_release) on this shape of input and
// took the whole scan down; the tree-sitter built from npm parses it. The test must survive the
// parse and still see the well-formed test after the damage.
#include <string>

#include <gtest/gtest.h>

#include "grabber/file_checks.h"
#include "grabber/grabber.h"

namespace flakegrab {
namespace {

// `@xfail(` and 33,000 unclosed `[(` pairs: about 66 KB, the size that crashed.
std::string crash_file() {
  std::string src = "import pytest\n\n@pytest.mark.xfail(";
  for (int i = 0; i < 33000; ++i) src += "[(";
  return src + "\ndef test_broken(): pass\n";
}

TEST(DeepNesting, UnclosedBracketsDoNotKillTheParse) {
  const std::string src = crash_file();
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

// Our own guard, whatever the parser's limits: a file nested deeper than Python accepts is never
// handed to tree-sitter, and says why.
TEST(DeepNesting, TheCrashFileIsSkippedAsTooDeeplyNested) {
  const std::string src = crash_file();
  EXPECT_EQ(file_skip_reason(src), "too deeply nested");
}

TEST(DeepNesting, BracketsInStringsAndCommentsDoNotNest) {
  const std::string many(5000, '(');
  std::string src = "x = '" + many + "'\ny = \"" + many + "\"\n# " + many + "\nz = '''\n" + many +
                    "\n'''\nw = 'it\\'s ' + \"\\\"(\"\n";
  EXPECT_EQ(bracket_depth(src), 0);
  EXPECT_EQ(file_skip_reason(src), std::nullopt);
  EXPECT_EQ(bracket_depth("f(a[{1: (2,)}])"), 4);
  // Valid Python's worst case stays far below the cap.
  EXPECT_EQ(bracket_depth(std::string(200, '[') + std::string(200, ']')), 200);
  EXPECT_EQ(file_skip_reason(std::string(kMaxBracketDepth, '[')), std::nullopt);
  EXPECT_EQ(file_skip_reason(std::string(kMaxBracketDepth + 1, '[')), "too deeply nested");
  // A single-quoted string ends at its line; a file may end inside a string or a comment, or on
  // the backslash of an escape.
  EXPECT_EQ(bracket_depth("s = '((\n[[x]]"), 2);
  EXPECT_EQ(bracket_depth("((s = '''(("), 2);
  EXPECT_EQ(bracket_depth("([# ((("), 2);
  EXPECT_EQ(bracket_depth("(s = '\\"), 1);
}

}  // namespace
}  // namespace flakegrab
