#pragma once
// Shared by the serve tests: a server over real scans on an ephemeral loopback port, plain
// HTTP clients, and raw sockets for idle and slow clients.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "serve/report_server.h"

namespace flakegrab::serve::test {

// A source of scans that a test changes between refreshes.
struct Source {
  std::mutex mutex;
  std::vector<std::filesystem::path> repos;  // each scanned at `branches`
  std::vector<std::string> branches{"main"};
  std::optional<correlate::History> history;
  correlate::JudgeOptions judge;
  RefreshInput operator()();
};

httplib::Result get(int port, const std::string& path, const httplib::Headers& headers = {});

// A TCP connection to 127.0.0.1:port (closed on destruction); -1 when refused.
class RawSocket {
 public:
  explicit RawSocket(int port);
  ~RawSocket();
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;
  bool ok() const { return fd_ >= 0; }
  bool send(const std::string& bytes);
  // True when the server closed it (read returns 0 or an error) within `wait`.
  bool closed_within(std::chrono::milliseconds wait);

 private:
  int fd_ = -1;
};

// The type a JSON reader sees: the parser's signed/unsigned split is not in the text.
std::string json_kind(const nlohmann::json& v);

}  // namespace flakegrab::serve::test
