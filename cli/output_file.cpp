#include "cli/output_file.h"

#include <cstdio>
#include <fstream>

#include "base/error.h"

namespace flakegrab::cli {

void write_output(const std::string& output, std::string_view text) {
  if (output == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return;
  }
  std::ofstream out(output, std::ios::binary);
  out << text;
  if (!out.flush()) throw Error(output + ": cannot write");
}

}  // namespace flakegrab::cli
