#pragma once
// Byte counts as people read them.
#include <cstdint>
#include <string>

namespace flakegrab {

// "12.3 MiB": one decimal, binary megabytes.
std::string mebibytes(double bytes);

}  // namespace flakegrab
