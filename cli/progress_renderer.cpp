#include "cli/progress_renderer.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include "base/byte_units.h"

namespace flakegrab::cli {

namespace {

constexpr auto kRedrawEvery = std::chrono::milliseconds(100);

// A redrawn line must not wrap, or "\r" returns to its last row only.
std::size_t terminal_width(std::FILE* out) {
  winsize ws{};
  if (::ioctl(::fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1) return ws.ws_col - 1;
  return 79;
}

}  // namespace

ProgressRenderer::ProgressRenderer(std::FILE* out, bool terminal, OutputLevel level)
    : out_(out),
      redraw_(terminal && level != OutputLevel::quiet),
      lines_(level == OutputLevel::verbose) {}

ProgressRenderer::~ProgressRenderer() {
  clear();
}

void ProgressRenderer::fetching(std::string_view repo, const FetchProgress& p) {
  if (!redraw_) return;
  std::lock_guard lock(mu_);
  const auto now = Clock::now();
  if (fetch_repo_ != repo) {
    fetch_repo_ = repo;
    fetch_start_ = now;
  }
  const double seconds = std::chrono::duration<double>(now - fetch_start_).count();
  std::string text = "fetching " + fetch_repo_ + ": " + std::to_string(p.received_objects) + "/" +
                     std::to_string(p.total_objects) + " objects, " +
                     mebibytes(static_cast<double>(p.received_bytes));
  if (seconds > 0.2)
    text += ", " + mebibytes(static_cast<double>(p.received_bytes) / seconds) + "/s";
  draw(text, p.total_objects != 0 && p.indexed_objects == p.total_objects);
}

void ProgressRenderer::scanning(std::string_view what, std::size_t done, std::size_t total) {
  if (!redraw_) return;
  std::lock_guard lock(mu_);
  draw("scanning " + std::string(what) + ": " + std::to_string(done) + "/" + std::to_string(total) +
           " files",
       done == total);
}

void ProgressRenderer::finished(std::string_view line) {
  std::lock_guard lock(mu_);
  erase();
  fetch_repo_.clear();
  if (lines_) std::fprintf(out_, "flakegrab: %.*s\n", static_cast<int>(line.size()), line.data());
}

void ProgressRenderer::clear() {
  std::lock_guard lock(mu_);
  erase();
}

void ProgressRenderer::draw(const std::string& text, bool force) {
  const auto now = Clock::now();
  if (!force && shown_ && now - last_draw_ < kRedrawEvery) return;
  last_draw_ = now;
  std::string line = text.substr(0, terminal_width(out_));
  std::fprintf(out_, "\r\033[K%s", line.c_str());
  std::fflush(out_);
  shown_ = true;
}

void ProgressRenderer::erase() {
  if (!shown_) return;
  std::fputs("\r\033[K", out_);
  std::fflush(out_);
  shown_ = false;
}

ProgressRenderer& progress() {
  static ProgressRenderer renderer(stderr, ::isatty(STDERR_FILENO) == 1, output_level());
  return renderer;
}

}  // namespace flakegrab::cli
