#pragma once
// Command-line mistakes as one `flakegrab: ...` line that names the word not understood and,
// when one is close, the word that was probably meant.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace flakegrab::cli {

// The candidate nearest to `word` by edit distance, or "" when none is close enough to be a typo.
std::string nearest(const std::string& word, const std::vector<std::string>& candidates);

// Throws Error when `word` (the first argument) is neither an option nor a subcommand of `app`.
void check_subcommand_word(const CLI::App& app, const std::string& word);

// Prints `e` (help and version to stdout, mistakes to stderr) and returns the exit code.
int report_parse_error(CLI::App& app, const CLI::ParseError& e);

}  // namespace flakegrab::cli
