#include <gtest/gtest.h>

#include <string>

#include "correlate/junit.h"

namespace flakegrab::correlate {
namespace {

// 20k nested <testsuite>s (about 480 KB): the reader used to recurse once per level.
TEST(JunitDepth, DeeplyNestedSuitesAreReadWithoutRecursion) {
  const int depth = 20000;
  std::string xml;
  for (int i = 0; i < depth; ++i) xml += "<testsuite name=\"s\">";
  xml += "<testcase classname=\"tests.test_deep\" name=\"test_bottom\"/>";
  for (int i = 0; i < depth; ++i) xml += "</testsuite>";
  JunitReport r = parse_junit(xml, "deep.xml");
  ASSERT_EQ(r.cases.size(), 1u);
  EXPECT_EQ(r.cases[0].name, "test_bottom");
  EXPECT_EQ(r.suite, "s");
}

TEST(JunitDepth, NestedSuitesKeepDocumentOrder) {
  JunitReport r = parse_junit(
      "<testsuites><testsuite name=\"outer\" timestamp=\"2026-05-19T08:00:00Z\">"
      "<testcase classname=\"a\" name=\"t1\"/>"
      "<testsuite name=\"inner\"><testcase classname=\"a\" name=\"t2\"/></testsuite>"
      "<testcase classname=\"a\" name=\"t3\"/></testsuite>"
      "<testsuite name=\"second\"><testcase classname=\"b\" name=\"t4\"/></testsuite>"
      "</testsuites>",
      "order.xml");
  ASSERT_EQ(r.cases.size(), 4u);
  EXPECT_EQ(r.cases[0].name, "t1");
  EXPECT_EQ(r.cases[1].name, "t2");
  EXPECT_EQ(r.cases[2].name, "t3");
  EXPECT_EQ(r.cases[3].name, "t4");
  EXPECT_EQ(r.suite, "outer");
  EXPECT_EQ(r.timestamp, "2026-05-19T08:00:00Z");
}

TEST(JunitDepth, NamelessTestcaseIsSkippedWithAWarning) {
  JunitReport r = parse_junit(
      "<testsuite name=\"s\"><testcase classname=\"a\"/><testcase classname=\"a\" name=\"\"/>"
      "<testcase classname=\"a\" name=\"t\"/></testsuite>",
      "nameless.xml");
  ASSERT_EQ(r.cases.size(), 1u);
  EXPECT_EQ(r.cases[0].name, "t");
  ASSERT_EQ(r.warnings.size(), 2u);
  EXPECT_NE(r.warnings[0].find("nameless.xml: <testcase> at offset"), std::string::npos)
      << r.warnings[0];
  EXPECT_NE(r.warnings[0].find("has no name attribute (skipped)"), std::string::npos);
}

}  // namespace
}  // namespace flakegrab::correlate
