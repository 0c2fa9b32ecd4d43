#pragma once
// How far long-running work (fetching a repository, scanning its files) has got. The libraries
// report to a ProgressSink; what the user sees (a line redrawn on a terminal, or nothing) is
// the sink's business: the CLI's is cli/progress_renderer.h, tests record the calls.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace flakegrab {

// libgit2's transfer progress of one fetch.
struct FetchProgress {
  std::size_t received_objects = 0, indexed_objects = 0, total_objects = 0;
  std::uint64_t received_bytes = 0;
};

// Called from worker threads (scan workers, libgit2's fetch): implementations are thread-safe.
// Calls may come for every object or file; a sink that draws limits its own rate.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  // A fetch of `repo` (credentials stripped) moved on.
  virtual void fetching(std::string_view repo, const FetchProgress& progress) = 0;
  // `done` of `total` candidate files of `what` (a directory, or repo@branch) are scanned.
  virtual void scanning(std::string_view what, std::size_t done, std::size_t total) = 0;
  // One repository or ref finished, said in one line ("fetched R: 1200 objects, 4.1 MiB").
  virtual void finished(std::string_view line) = 0;
};

}  // namespace flakegrab
