#pragma once
// Keeps slow or idle clients from holding the server: a fixed pool of many small worker
// threads for cpp-httplib, and a watchdog that shuts down any accepted connection that has not
// finished a request within the deadline (slow-loris: headers sent a byte at a time), and every
// one of them on stop.
//
// Why a watchdog: cpp-httplib 0.11 (Debian 12) has a timeout per read only, so a client that
// sends one byte every few seconds holds a worker for hours, and it gives no hook to reach an
// accepted socket. The watchdog finds the server's accepted sockets in /proc/self/fd by their
// local port and matches them to finished requests by the peer's address and port.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace httplib {
class TaskQueue;
}

namespace flakegrab::serve {

// A cpp-httplib task queue of `workers` threads with small stacks (they only parse a request
// and copy a precomputed body).
std::unique_ptr<httplib::TaskQueue> make_worker_pool(std::size_t workers);

// cpp-httplib 0.11 listens with a backlog of 5, so a burst of connections beyond that waits
// for SYN retransmits (1 s, 3 s...). Linux lets listen() be called again on a listening
// socket to change it; this finds the server's listening socket by its port.
void raise_listen_backlog(int port, int backlog);

class ConnectionGuard {
 public:
  ConnectionGuard() = default;
  ~ConnectionGuard();
  ConnectionGuard(const ConnectionGuard&) = delete;
  ConnectionGuard& operator=(const ConnectionGuard&) = delete;

  // Watches connections accepted on local `port`: each must finish a request within
  // `deadline` and `max_bytes` received (cpp-httplib 0.11 limits each header line but not how
  // many there are: an endless header grows memory at line speed).
  void start(int port, std::chrono::milliseconds deadline, std::uint64_t max_bytes);
  // A request finished on the connection from this peer: it has a fresh deadline.
  void request_done(const std::string& peer_addr, int peer_port);
  // Shuts down every accepted connection now; returns how many there were.
  std::size_t close_all();
  void stop();

 private:
  struct Tracked {
    std::string peer;
    std::chrono::steady_clock::time_point since;
    std::uint64_t bytes_at_since = 0;  // received by then
    bool shut = false;
  };
  void sweep(bool close_every_one, std::size_t* closed);

  int port_ = 0;
  std::chrono::milliseconds deadline_{0};
  std::uint64_t max_bytes_ = 0;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<int, Tracked> connections_;                                 // by fd
  std::map<std::string, std::chrono::steady_clock::time_point> done_;  // by peer
  std::thread thread_;
};

}  // namespace flakegrab::serve
