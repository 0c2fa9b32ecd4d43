#pragma once
// Where a command's -o/--output goes: "-" is stdout, anything else a file.
#include <string>
#include <string_view>

namespace flakegrab::cli {

// Throws Error naming `output` when the file cannot be written.
void write_output(const std::string& output, std::string_view text);

}  // namespace flakegrab::cli
