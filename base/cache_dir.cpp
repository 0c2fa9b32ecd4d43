#include "base/cache_dir.h"

#include <cstdlib>

#include "base/error.h"

namespace flakegrab {

std::filesystem::path default_cache_dir() {
  namespace fs = std::filesystem;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/')
    return fs::path(xdg) / "flakegrab";
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
    return fs::path(home) / ".cache" / "flakegrab";
  throw Error("no cache directory: set --cache-dir, XDG_CACHE_HOME or HOME");
}

}  // namespace flakegrab
