#include "cli/messages.h"

#include <cstdio>

#include "cli/output_level.h"
#include "cli/progress_renderer.h"

namespace flakegrab::cli {

void warn(std::string_view text) {
  if (output_level() == OutputLevel::quiet) return;
  progress().clear();
  std::fprintf(stderr, "flakegrab: warning: %.*s\n", static_cast<int>(text.size()), text.data());
}

void note(std::string_view text) {
  if (output_level() == OutputLevel::quiet) return;
  progress().clear();
  std::fprintf(stderr, "flakegrab: %.*s\n", static_cast<int>(text.size()), text.data());
}

}  // namespace flakegrab::cli
