#pragma once
// What the user sees of grabber's ProgressSink calls: on a terminal (stderr a TTY, not
// --quiet) one status line redrawn in place at most ten times a second; with --verbose one
// "flakegrab: ..." line per finished repository or ref, terminal or not; otherwise nothing.
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include "cli/output_level.h"
#include "grabber/progress.h"

namespace flakegrab::cli {

class ProgressRenderer : public ProgressSink {
 public:
  ProgressRenderer(std::FILE* out, bool terminal, OutputLevel level);
  ~ProgressRenderer() override;

  void fetching(std::string_view repo, const FetchProgress& progress) override;
  void scanning(std::string_view what, std::size_t done, std::size_t total) override;
  void finished(std::string_view line) override;
  // Erases the status line, so that what is printed next starts a clean line.
  void clear();

 private:
  using Clock = std::chrono::steady_clock;
  void draw(const std::string& text, bool force);
  void erase();

  std::mutex mu_;
  std::FILE* out_;
  bool redraw_;  // a terminal and not --quiet
  bool lines_;   // --verbose
  bool shown_ = false;
  Clock::time_point last_draw_{};
  std::string fetch_repo_;
  Clock::time_point fetch_start_{};
};

// The process's renderer for stderr, made on first use from output_level() and isatty(2).
ProgressRenderer& progress();

}  // namespace flakegrab::cli
