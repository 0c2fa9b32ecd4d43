#include <gtest/gtest.h>

#include <map>

#include "grabber/grabber.h"

namespace flakegrab {
namespace {

TEST(PytestConfig, PytestIniMultilineMarkers) {
  auto c = parse_pytest_config("pytest.ini",
                               "[pytest]\npython_files = check_*.py  *_spec.py\nmarkers =\n"
                               "    xfailflake(jira): flaky\n    slow: slow tests\n");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->source, "pytest.ini");
  EXPECT_EQ(c->registered_markers, (std::vector<std::string>{"xfailflake", "slow"}));
  EXPECT_EQ(c->python_files, (std::vector<std::string>{"check_*.py", "*_spec.py"}));
  EXPECT_FALSE(c->norecursedirs);  // not written: pytest's default applies
}

TEST(PytestConfig, SetupCfgNeedsToolPytest) {
  EXPECT_FALSE(parse_pytest_config("setup.cfg", "[pytest]\nmarkers = a\n"));
  auto c = parse_pytest_config("setup.cfg", "[tool:pytest]\nmarkers =\n  quarantine: q\n");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->registered_markers, (std::vector<std::string>{"quarantine"}));
  EXPECT_FALSE(parse_pytest_config("tox.ini", "[tox]\nenvlist = py3\n"));
}

TEST(PytestConfig, PyprojectToml) {
  auto c = parse_pytest_config("pyproject.toml",
                               "[project]\nname = 'x'\n[tool.pytest.ini_options]\n"
                               "markers = [\"flaky_infra: infra\", \"slow\"]\n"
                               "python_files = [\"t_*.py\"]\n");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->registered_markers, (std::vector<std::string>{"flaky_infra", "slow"}));
  EXPECT_EQ(c->python_files, (std::vector<std::string>{"t_*.py"}));
  EXPECT_FALSE(parse_pytest_config("pyproject.toml", "[project]\nname = 'x'\n"));
  EXPECT_THROW(parse_pytest_config("pyproject.toml", "[tool.pytest.ini_options\n"), Error);
}

using Words = std::vector<std::string>;

TEST(PytestConfig, CollectionOptionsAreShlexWords) {
  auto c = parse_pytest_config("tox.ini",
                               "[tox]\nenvlist = py3\n[pytest]\ntestpaths = tests\n  'odd dir'\n"
                               "norecursedirs =\npython_classes = Check *Suite\n"
                               "python_functions = check_ \"spec it\"\n");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->testpaths, (Words{"tests", "odd dir"}));
  EXPECT_EQ(c->norecursedirs, Words{});  // written empty: nothing is left out
  EXPECT_EQ(c->python_classes, (Words{"Check", "*Suite"}));
  EXPECT_EQ(c->python_functions, (Words{"check_", "spec it"}));
  EXPECT_FALSE(c->python_files);
  // An empty [pytest] section in tox.ini is pytest's config; a pytest.ini is even without one.
  EXPECT_TRUE(parse_pytest_config("tox.ini", "[pytest]\n"));
  EXPECT_TRUE(parse_pytest_config("pytest.ini", "# nothing\n"));
  EXPECT_TRUE(parse_pytest_config(".pytest.ini", ""));
}

TEST(PytestConfig, PytestNineTomlTables) {
  auto t = parse_pytest_config("pytest.toml", "[pytest]\ntestpaths = [\"t\"]\n");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->testpaths, (Words{"t"}));
  EXPECT_TRUE(parse_pytest_config(".pytest.toml", ""));  // the config even when empty
  auto p = parse_pytest_config("pyproject.toml",
                               "[tool.pytest]\npython_files = [\"check_*.py\"]\n"
                               "norecursedirs = \"build .*\"\n");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->python_files, (Words{"check_*.py"}));
  EXPECT_EQ(p->norecursedirs, (Words{"build", ".*"}));
}

// pytest 9's order: pytest.toml, .pytest.toml, pytest.ini, .pytest.ini, pyproject.toml (with a
// pytest table), tox.ini ([pytest]), setup.cfg ([tool:pytest]).
TEST(PytestConfig, PrecedenceAmongFilesAtTheRoot) {
  std::map<std::string, std::string> files{
      {"setup.cfg", "[tool:pytest]\ntestpaths = cfg\n"},
      {"tox.ini", "[pytest]\ntestpaths = tox\n"},
      {"pyproject.toml", "[project]\nname = 'x'\n"},  // no pytest table: passed over
  };
  auto find = [&] {
    return find_pytest_config([&](const std::string& name) -> std::optional<std::string> {
      auto it = files.find(name);
      if (it == files.end()) return std::nullopt;
      return it->second;
    });
  };
  EXPECT_EQ(find()->source, "tox.ini");
  files["pyproject.toml"] = "[tool.pytest.ini_options]\ntestpaths = 'py'\n";
  EXPECT_EQ(find()->source, "pyproject.toml");
  files[".pytest.ini"] = "";
  EXPECT_EQ(find()->source, ".pytest.ini");
  files["pytest.ini"] = "";
  EXPECT_EQ(find()->source, "pytest.ini");
  files["pytest.toml"] = "";
  EXPECT_EQ(find()->source, "pytest.toml");
  // A config pytest cannot parse: pytest refuses to run; the scan uses the defaults.
  files["pytest.toml"] = "[pytest\n";
  EXPECT_FALSE(find());
}

}  // namespace
}  // namespace flakegrab
