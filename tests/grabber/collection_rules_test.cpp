#include "grabber/collection_rules.h"

#include <gtest/gtest.h>

namespace flakegrab {
namespace {

CollectionRules rules_from(const std::string& pytest_ini,
                           ScanConfig config = ScanConfig::defaults()) {
  return CollectionRules(config, parse_pytest_config("pytest.ini", pytest_ini));
}

TEST(CollectionRules, DefaultNorecursedirs) {
  CollectionRules r(ScanConfig::defaults(), std::nullopt);
  for (const char* d : {"a.egg", ".git", ".tox", "x/.venv", "_darcs", "build", "CVS", "dist",
                        "web/node_modules", "venv", "{arch}", "tests/__pycache__"})
    EXPECT_FALSE(r.enters(d, false)) << d;
  for (const char* d : {"tests", "src/build_tools", "env", "Build"})
    EXPECT_TRUE(r.enters(d, false)) << d;
  EXPECT_FALSE(r.enters("env", true));  // a virtualenv, whatever its name
}

TEST(CollectionRules, NorecursedirsFromTheConfigReplaceTheDefaults) {
  auto r = rules_from("[pytest]\nnorecursedirs = tests/legacy out*\n");
  EXPECT_TRUE(r.enters("build", false));
  EXPECT_TRUE(r.enters(".hidden", false));
  EXPECT_FALSE(r.enters("tests/legacy", false));  // a '/' pattern matches the path
  EXPECT_FALSE(r.enters("a/tests/legacy", false));
  EXPECT_TRUE(r.enters("legacy", false));
  EXPECT_FALSE(r.enters("pkg/output", false));
  EXPECT_FALSE(r.enters(".git", false));  // never a test directory
}

TEST(CollectionRules, TestpathsLimitTheWalk) {
  auto r = rules_from("[pytest]\ntestpaths = src/*/tests  docs/check.py\n");
  EXPECT_TRUE(r.enters("src", false));                 // an ancestor of a testpath
  EXPECT_TRUE(r.enters("src/build", false));           // ancestor: norecursedirs does not apply
  EXPECT_TRUE(r.enters("src/build/tests", false));     // the testpath itself
  EXPECT_FALSE(r.enters("src/.hidden", false));        // glob's '*' skips hidden names
  EXPECT_FALSE(r.enters("src/a/tests/build", false));  // below it, norecursedirs applies
  EXPECT_FALSE(r.enters("lib", false));
  EXPECT_TRUE(r.selects("src/a/tests/test_x.py"));
  EXPECT_FALSE(r.selects("src/a/test_x.py"));
  EXPECT_TRUE(r.selects("docs/check.py"));  // a file named by testpaths, whatever its name
  EXPECT_FALSE(r.selects("test_root.py"));
  EXPECT_TRUE(r.is_testpath("src/a/tests"));
  EXPECT_FALSE(r.is_testpath("src/a"));
  EXPECT_TRUE(r.without_testpaths().selects("test_root.py"));
  auto recursive = rules_from("[pytest]\ntestpaths = **/it\n");
  EXPECT_TRUE(recursive.enters("a/b", false));
  EXPECT_TRUE(recursive.selects("a/b/it/test_x.py"));
  EXPECT_TRUE(rules_from("[pytest]\ntestpaths = . tests\n").selects("test_root.py"));
}

TEST(CollectionRules, PythonFilesWithAndWithoutSlash) {
  auto r = rules_from("[pytest]\npython_files = tests/*.py *_spec.py\n");
  EXPECT_TRUE(r.selects("tests/helpers.py"));
  EXPECT_TRUE(r.selects("a/tests/deep/x.py"));  // Python's fnmatch: '*' crosses '/'
  EXPECT_TRUE(r.selects("lib/x_spec.py"));
  EXPECT_TRUE(r.selects("lib/conftest.py"));
  EXPECT_FALSE(r.selects("lib/test_x.py"));
  ScanConfig flag = ScanConfig::defaults();
  flag.python_files = {"check_*.py"};
  EXPECT_TRUE(rules_from("[pytest]\npython_files = x.py\n", flag).selects("check_a.py"));
  flag.all_files = true;
  EXPECT_TRUE(rules_from("", flag).selects("lib/anything.py"));
  EXPECT_FALSE(rules_from("", flag).selects("lib/data.txt"));
}

TEST(TestNamesRule, PrefixesOrGlobs) {
  TestNames d;
  EXPECT_TRUE(d.is_test_class("TestX"));
  EXPECT_TRUE(d.is_test_class("Tests"));
  EXPECT_FALSE(d.is_test_class("MyTest"));
  EXPECT_TRUE(d.is_test_function("test"));
  EXPECT_TRUE(d.is_test_function("testing_x"));
  EXPECT_TRUE(d.is_default());
  auto r = rules_from("[pytest]\npython_classes = *Suite Check\npython_functions = should_ *_it\n");
  EXPECT_TRUE(r.names().is_test_class("LoginSuite"));
  EXPECT_TRUE(r.names().is_test_class("CheckLogin"));
  EXPECT_FALSE(r.names().is_test_class("TestLogin"));
  EXPECT_TRUE(r.names().is_test_function("should_work"));
  EXPECT_TRUE(r.names().is_test_function("does_it"));
  EXPECT_FALSE(r.names().is_test_function("test_x"));
  EXPECT_FALSE(r.names().is_default());
  EXPECT_NE(r.names().fingerprint(), d.fingerprint());
}

}  // namespace
}  // namespace flakegrab
