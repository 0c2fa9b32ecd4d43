#include "base/read_file.h"

#include <fstream>
#include <sstream>

#include "base/error.h"

namespace flakegrab {

std::string read_whole_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace flakegrab
