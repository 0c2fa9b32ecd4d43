#pragma once
// Whole-file reads for inputs named by the user (scans, reports, bundles, configs).
#include <filesystem>
#include <string>

namespace flakegrab {

// The file's bytes; throws Error("<path>: cannot read") when it cannot be opened.
std::string read_whole_file(const std::filesystem::path& path);

}  // namespace flakegrab
