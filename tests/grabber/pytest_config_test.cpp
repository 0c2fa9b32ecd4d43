#include <gtest/gtest.h>

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

}  // namespace
}  // namespace flakegrab
