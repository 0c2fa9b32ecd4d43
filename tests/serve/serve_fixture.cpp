#include "serve_fixture.h"

#include <netinet/in.h>
#include <sys/time.h>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cerrno>

namespace flakegrab::serve::test {

RefreshInput Source::operator()() {
  std::lock_guard lock(mutex);
  RefreshInput in;
  in.as_of = "2026-05-22T00:00:00Z";
  in.history = history;
  in.judge = judge;
  for (const auto& repo : repos) {
    try {
      auto scans = scan_repository(repo.string(), branches, ScanConfig::defaults(), {});
      in.scans.insert(in.scans.end(), scans.begin(), scans.end());
    } catch (const Error& e) {
      RefScan failed;
      failed.repo = repo.string();
      failed.error = e.what();
      in.scans.push_back(std::move(failed));
    }
  }
  return in;
}

httplib::Result get(int port, const std::string& path, const httplib::Headers& headers) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(std::chrono::seconds(5));
  c.set_read_timeout(std::chrono::seconds(5));
  return c.Get(path, headers);
}

RawSocket::RawSocket(int port) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval send_limit{0, 500 * 1000};  // a send never blocks a test for long
  if (fd_ >= 0) setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &send_limit, sizeof send_limit);
  if (fd_ >= 0 && connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd_);
    fd_ = -1;
  }
}

RawSocket::~RawSocket() {
  if (fd_ >= 0) close(fd_);
}

bool RawSocket::send(const std::string& bytes) {
  return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
         static_cast<ssize_t>(bytes.size());
}

bool RawSocket::closed_within(std::chrono::milliseconds wait) {
  const auto end = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < end) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 50) > 0) {
      char buf[4096];
      ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return true;  // a response (e.g. 408/400) may come first; keep reading
    }
  }
  return false;
}

std::string json_kind(const nlohmann::json& v) {
  if (v.is_number_float()) return "float";
  if (v.is_number()) return "integer";
  return v.type_name();
}

}  // namespace flakegrab::serve::test
