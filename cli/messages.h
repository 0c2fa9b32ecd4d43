#pragma once
// The CLI's stderr lines other than errors, each one "flakegrab: ..." line that first erases a
// progress line, and each silenced by --quiet.
#include <string_view>

namespace flakegrab::cli {

// "flakegrab: warning: TEXT".
void warn(std::string_view text);

// "flakegrab: TEXT": a summary or a note about a result that is still usable.
void note(std::string_view text);

}  // namespace flakegrab::cli
