#pragma once
// The one exception type that crosses module borders. Messages are one line, name the
// file/field/repo at fault, and never contain a secret.
#include <stdexcept>
#include <string>

namespace flakegrab {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace flakegrab
