// PEP 263 coding cookies, BOMs and CR-only line ends: the text the parser gets.
#include "grabber/source_text.h"

#include <gtest/gtest.h>

#include "grabber/grabber.h"

namespace flakegrab {
namespace {

TEST(SourceText, CodingCookieOnTheFirstTwoLines) {
  EXPECT_EQ(coding_cookie("# -*- coding: latin-1 -*-\nx = 1\n"), "latin-1");
  EXPECT_EQ(coding_cookie("#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\n"), "cp1252");
  EXPECT_EQ(coding_cookie("import os\n# coding: latin-1\n"), std::nullopt);  // line 1 is code
  EXPECT_EQ(coding_cookie("\n\n# coding: latin-1\n"), std::nullopt);         // line 3
  EXPECT_EQ(coding_cookie("x = 1  # coding: latin-1\n"), std::nullopt);
}

TEST(SourceText, DecodesDeclaredEncodingsToUtf8) {
  auto latin = python_source_text("# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n");
  ASSERT_FALSE(latin.skip_reason);
  EXPECT_EQ(latin.text, "# -*- coding: latin-1 -*-\nname = 'caf\xc3\xa9'\n");
  auto cp = python_source_text("# coding=cp1252\nq = '\x93quoted\x94 \x80'\n");
  ASSERT_FALSE(cp.skip_reason);
  EXPECT_EQ(cp.text, "# coding=cp1252\nq = '\xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x82\xac'\n");
  auto sjis = python_source_text("# coding: shift_jis\ns = '\x83\x65\x83\x58\x83\x67'\n");
  ASSERT_FALSE(sjis.skip_reason);
  EXPECT_EQ(sjis.text, "# coding: shift_jis\ns = '\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88'\n");
  EXPECT_EQ(python_source_text("# coding: utf-8\ns = '\xe9'\n").skip_reason, "not utf-8");
  EXPECT_EQ(python_source_text("caf\xe9\n").skip_reason, "not utf-8");
  EXPECT_EQ(python_source_text("# coding: klingon\nx = '\xe9'\n").skip_reason, "unknown encoding");
  EXPECT_EQ(python_source_text("# coding: utf-16\nx = 1\n").skip_reason, "unknown encoding");
  // 0x81 is not a cp1252 character: Python refuses the file too.
  EXPECT_EQ(python_source_text("# coding: cp1252\nx = '\x81'\n").skip_reason, "bad encoding");
  EXPECT_EQ(python_source_text("\xEF\xBB\xBF# coding: latin-1\nx = 1\n").skip_reason,
            "bad encoding");
}

TEST(SourceText, BomDroppedAndLoneCrIsANewline) {
  EXPECT_EQ(python_source_text("\xEF\xBB\xBFimport pytest\n").text, "import pytest\n");
  EXPECT_EQ(python_source_text("a\rb\r\nc\r").text, "a\nb\r\nc\n");
}

TEST(SourceText, MarkersOfDecodedFilesKeepTheirLines) {
  // Through the pipeline's checks, as scans see them.
  std::string src =
      "# -*- coding: latin-1 -*-\r\rimport pytest\r\r@pytest.mark.skip(reason='caf\xe9')\r"
      "def test_a():\r    pass\r";
  auto text = python_source_text(src);
  ASSERT_FALSE(text.skip_reason);
  auto fm = extract_markers("t.py", text.text, ScanConfig::defaults());
  ASSERT_EQ(fm.markers.size(), 1u);
  EXPECT_EQ(fm.markers[0].line, 5);
  EXPECT_EQ(fm.markers[0].reason, "caf\xc3\xa9");
  auto bom =
      python_source_text("\xEF\xBB\xBFimport pytest\n@pytest.mark.skip\ndef test_b(): pass\n");
  auto fb = extract_markers("t.py", bom.text, ScanConfig::defaults());
  ASSERT_EQ(fb.markers.size(), 1u);
  EXPECT_EQ(fb.markers[0].line, 2);
}

}  // namespace
}  // namespace flakegrab
