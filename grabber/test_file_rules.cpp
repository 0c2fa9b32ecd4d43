#include <fnmatch.h>

#include <string>

#include "grabber/grabber.h"

namespace flakegrab {

bool is_test_file(std::string_view rel_path, const std::vector<std::string>& python_files) {
  auto slash = rel_path.rfind('/');
  std::string base(slash == std::string_view::npos ? rel_path : rel_path.substr(slash + 1));
  // conftest.py holds fixtures and pytestmark for its directory, whatever python_files says.
  if (base == "conftest.py") return true;
  static const std::vector<std::string> defaults{"test_*.py", "*_test.py"};
  const auto& globs = python_files.empty() ? defaults : python_files;
  for (const auto& g : globs) {
    if (fnmatch(g.c_str(), base.c_str(), 0) == 0) return true;
  }
  return false;
}

}  // namespace flakegrab
