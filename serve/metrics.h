#pragma once
// Counters for /metrics, rendered in Prometheus' text exposition format (version 0.0.4).
#include <cstdint>
#include <ctime>
#include <map>
#include <mutex>
#include <string>

#include "serve/snapshot.h"

namespace flakegrab::serve {

class Metrics {
 public:
  void count_request(const std::string& endpoint, int status, std::size_t bytes);
  void count_refresh(double seconds, bool ok, std::time_t at);
  std::string render(const Snapshot* snap) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, std::uint64_t> bytes_;
  std::uint64_t refreshes_ = 0, refresh_failures_ = 0;
  double last_refresh_seconds_ = 0;
  std::time_t last_success_ = 0;
};

}  // namespace flakegrab::serve
