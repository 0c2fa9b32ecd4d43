// Golden cases: every folder of tests/cases/ is a small Python tree (and optionally a pytest
// config) scanned as a directory by the real pipeline; its expected.json holds the records.
// FLAKEGRAB_UPDATE_GOLDEN=1 rewrites the expected files instead of comparing, for review.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "grabber/scan_pipeline.h"
#include "tests/support/paths.h"
#include "tests/support/process.h"

namespace flakegrab {
namespace {

namespace fs = std::filesystem;

fs::path cases_dir() {
  return test::source_dir() / "tests" / "cases";
}

std::vector<std::string> case_names() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(cases_dir()))
    if (e.is_directory()) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

class GoldenCase : public testing::TestWithParam<std::string> {};

TEST_P(GoldenCase, ScanGivesTheExpectedRecords) {
  const fs::path dir = cases_dir() / GetParam();
  ScanResult r = scan_directory(dir, ScanConfig::defaults(), 1);
  nlohmann::ordered_json got = nlohmann::ordered_json::array();
  for (const auto& m : r.markers) got.push_back(to_json(m));
  const fs::path expected_file = dir / "expected.json";
  const char* update = std::getenv("FLAKEGRAB_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    test::write_file(expected_file, got.dump(2) + "\n");
    GTEST_SKIP() << "rewrote " << expected_file;
  }
  ASSERT_TRUE(fs::exists(expected_file))
      << expected_file << " is missing; FLAKEGRAB_UPDATE_GOLDEN=1 writes it";
  auto expected = nlohmann::ordered_json::parse(test::read_file(expected_file));
  EXPECT_EQ(got, expected) << "got:\n" << got.dump(2);
  EXPECT_EQ(r.stats.parse_errors, 0u);
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenCase, testing::ValuesIn(case_names()),
                         [](const testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param;
                           for (char& ch : n)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return n;
                         });

}  // namespace
}  // namespace flakegrab
