#include "base/byte_units.h"

#include <cstdio>

namespace flakegrab {

std::string mebibytes(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", bytes / (1024.0 * 1024.0));
  return buf;
}

}  // namespace flakegrab
