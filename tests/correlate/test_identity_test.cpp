#include <gtest/gtest.h>

#include "correlate/test_identity.h"

namespace flakegrab::correlate {
namespace {

TestHistory junit_test(const std::string& classname, const std::string& name,
                       const std::string& file = "") {
  TestHistory t;
  t.classname = classname;
  t.name = name;
  t.nodeid = nodeid_from_junit(classname, name, file);
  t.history_id = "pytest::" + t.nodeid;
  return t;
}

TEST(TestIdentity, NodeIdFromJunit) {
  EXPECT_EQ(nodeid_from_junit("tests.unit.test_a.TestX", "test_y[p1]", "tests/unit/test_a.py"),
            "tests/unit/test_a.py::TestX::test_y[p1]");
  // Without `file`: lower-case parts are the module path.
  EXPECT_EQ(nodeid_from_junit("tests.unit.test_a.TestX", "test_y[p1]", ""),
            "tests/unit/test_a.py::TestX::test_y[p1]");
  EXPECT_EQ(nodeid_from_junit("tests.unit.test_a", "test_y", ""), "tests/unit/test_a.py::test_y");
  // Nested classes.
  EXPECT_EQ(nodeid_from_junit("tests.test_a.TestOuter.TestInner", "test_z", ""),
            "tests/test_a.py::TestOuter::TestInner::test_z");
  // PyTorch style: classname is just the class, file names the module.
  EXPECT_EQ(nodeid_from_junit("TestTorch", "test_add", "test_torch.py"),
            "test_torch.py::TestTorch::test_add");
  // Windows separators in `file`.
  EXPECT_EQ(nodeid_from_junit("tests.test_b", "test_q", "tests\\test_b.py"),
            "tests/test_b.py::test_q");
}

TEST(TestIdentity, DottedForms) {
  EXPECT_EQ(dotted_from_nodeid("tests/unit/test_a.py::TestX::test_y[p1.5/x::y]"),
            "tests.unit.test_a.TestX.test_y[p1.5/x::y]");
  EXPECT_EQ(dotted_from_nodeid("./tests\\test_a.py::test_b"), "tests.test_a.test_b");
  EXPECT_EQ(dotted_from_junit("tests.unit.test_a.TestX", "test_y[p1]"),
            "tests.unit.test_a.TestX.test_y[p1]");
  EXPECT_EQ(strip_params("test_y[a.b]"), "test_y");
  EXPECT_EQ(leaf_of("m.TestX.test_y[a.b]"), "test_y[a.b]");
}

TEST(TestIdentity, ExactNodeIdCoversParametrisations) {
  std::vector<TestHistory> h{junit_test("tests.test_a.TestX", "test_y[p1]", "tests/test_a.py"),
                             junit_test("tests.test_a.TestX", "test_y[p2]", "tests/test_a.py"),
                             junit_test("tests.test_a.TestX", "test_y2", "tests/test_a.py")};
  IdentityIndex index(h);
  auto m = index.match("tests/test_a.py::TestX::test_y");
  EXPECT_EQ(m.kind, MatchKind::exact);
  EXPECT_EQ(m.history, (std::vector<std::size_t>{0, 1}));  // not test_y2
  auto one = index.match("tests/test_a.py::TestX::test_y[p2]");
  EXPECT_EQ(one.history, (std::vector<std::size_t>{1}));
  // A class marker covers every test inside it; a module marker too.
  EXPECT_EQ(index.match("tests/test_a.py::TestX").history.size(), 3u);
  EXPECT_EQ(index.match("tests/test_a.py").history.size(), 3u);
  EXPECT_EQ(index.match("tests/test_a.py::TestX::test_y3").kind, MatchKind::none);
}

TEST(TestIdentity, NormalisedMatchWhenOnlyClassnameIsKnown) {
  TestHistory t;  // a history entry with no usable node id, e.g. from another tool
  t.classname = "tests.unit.test_a.TestX";
  t.name = "test_y";
  std::vector<TestHistory> h{t};
  IdentityIndex index(h);
  auto m = index.match("tests/unit/test_a.py::TestX::test_y");
  EXPECT_EQ(m.kind, MatchKind::normalized);
  EXPECT_EQ(m.history.size(), 1u);
}

TEST(TestIdentity, SuffixMatchAcrossRootDirs) {
  // pytest ran from python/ (classname "tests.test_a"), the scan root is the repo root.
  std::vector<TestHistory> h{junit_test("tests.test_a", "test_b")};
  IdentityIndex index(h);
  auto m = index.match("python/tests/test_a.py::test_b");
  EXPECT_EQ(m.kind, MatchKind::suffix);
  EXPECT_FALSE(m.ambiguous);
  // And the other way round: the report is deeper than the scan root.
  std::vector<TestHistory> deep{junit_test("repo.pkg.tests.test_c", "test_d")};
  IdentityIndex deep_index(deep);
  EXPECT_EQ(deep_index.match("tests/test_c.py::test_d").kind, MatchKind::suffix);
}

TEST(TestIdentity, SuffixHittingTwoRootsIsAmbiguous) {
  std::vector<TestHistory> h{junit_test("svc_a.tests.test_api", "test_get"),
                             junit_test("svc_b.tests.test_api", "test_get")};
  IdentityIndex index(h);
  auto m = index.match("tests/test_api.py::test_get");
  EXPECT_EQ(m.kind, MatchKind::suffix);
  EXPECT_TRUE(m.ambiguous);
}

TEST(TestIdentity, LeafFallbackOnlyWhenUniqueAndWeak) {
  std::vector<TestHistory> h{junit_test("other.test_misc", "test_unique_leaf"),
                             junit_test("a.test_x", "test_common"),
                             junit_test("b.test_y", "test_common")};
  IdentityIndex index(h);
  index.set_marker_leaf_counts(
      {"tests/test_weak.py::test_unique_leaf", "tests/test_z.py::test_common"});
  auto unique = index.match("tests/test_weak.py::test_unique_leaf");
  EXPECT_EQ(unique.kind, MatchKind::leaf);
  EXPECT_TRUE(is_weak(unique.kind));
  auto common = index.match("tests/test_z.py::test_common");
  EXPECT_EQ(common.kind, MatchKind::none);
  EXPECT_TRUE(common.ambiguous);
  // A module-level marker never falls back to a leaf.
  EXPECT_EQ(index.match("test_unique_leaf.py").kind, MatchKind::none);
}

TEST(TestIdentity, LeafFallbackRefusedWhenTwoMarkersShareTheLeaf) {
  std::vector<TestHistory> h{junit_test("other.test_misc", "test_same")};
  IdentityIndex index(h);
  index.set_marker_leaf_counts({"a/test_1.py::test_same", "b/test_2.py::test_same"});
  auto m = index.match("a/test_1.py::test_same");
  EXPECT_EQ(m.kind, MatchKind::none);
  EXPECT_TRUE(m.ambiguous);
}

TEST(TestIdentity, BundleTestIdConvention) {
  TestHistory t;
  t.history_id = "smoketest::vehicle_test.py::test_handbrake[etk800]";
  t.nodeid = "vehicle_test.py::test_handbrake[etk800]";
  t.name = "test_handbrake[etk800]";
  std::vector<TestHistory> h{t};
  IdentityIndex index(h);
  EXPECT_EQ(index.match("vehicle_test.py::test_handbrake").kind, MatchKind::exact);
}

}  // namespace
}  // namespace flakegrab::correlate
