#include "serve/connection_guard.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <httplib.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cstdlib>
#include <set>
#include <vector>

#include "serve/socket_bytes.h"

namespace flakegrab::serve {
namespace {

using Clock = std::chrono::steady_clock;

class WorkerPool : public httplib::TaskQueue {
 public:
  explicit WorkerPool(std::size_t n) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    for (std::size_t i = 0; i < n; ++i) {
      pthread_t t;
      if (pthread_create(&t, &attr, &WorkerPool::run, this) == 0) threads_.push_back(t);
    }
    pthread_attr_destroy(&attr);
    if (threads_.empty()) std::abort();  // no thread at all: nothing could ever be served
  }
  ~WorkerPool() override { shutdown(); }

  void enqueue(std::function<void()> fn) override {
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back(std::move(fn));
    }
    cond_.notify_one();
  }

  void shutdown() override {
    {
      std::lock_guard lock(mutex_);
      if (down_) return;
      down_ = true;
    }
    cond_.notify_all();
    for (auto t : threads_) pthread_join(t, nullptr);
  }

 private:
  static void* run(void* self) {
    auto& p = *static_cast<WorkerPool*>(self);
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock lock(p.mutex_);
        p.cond_.wait(lock, [&p] { return !p.jobs_.empty() || p.down_; });
        if (p.jobs_.empty()) return nullptr;  // down and drained
        fn = std::move(p.jobs_.front());
        p.jobs_.pop_front();
      }
      fn();
    }
  }

  std::vector<pthread_t> threads_;
  std::deque<std::function<void()>> jobs_;
  std::mutex mutex_;
  std::condition_variable cond_;
  bool down_ = false;
};

std::string address_text(const sockaddr_storage& a, int* port) {
  char buf[INET6_ADDRSTRLEN] = "";
  if (a.ss_family == AF_INET) {
    auto& in = reinterpret_cast<const sockaddr_in&>(a);
    inet_ntop(AF_INET, &in.sin_addr, buf, sizeof buf);
    *port = ntohs(in.sin_port);
  } else if (a.ss_family == AF_INET6) {
    auto& in = reinterpret_cast<const sockaddr_in6&>(a);
    inet_ntop(AF_INET6, &in.sin6_addr, buf, sizeof buf);
    *port = ntohs(in.sin6_port);
  } else {
    *port = -1;
  }
  return buf;
}

// 1 when fd is a TCP socket listening on local `port`, 0 when it is one connected there, -1
// for anything else.
int socket_on_port(int fd, int port) {
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) return -1;
  sockaddr_storage local{};
  socklen_t len = sizeof local;
  int local_port = -1;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) return -1;
  address_text(local, &local_port);
  if (local_port != port) return -1;
  int listening = 0;
  len = sizeof listening;
  if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0) return -1;
  return listening ? 1 : 0;
}

// The peer "addr:port" when fd is a connection accepted on local `port`, else "".
std::string accepted_peer(int fd, int port) {
  if (socket_on_port(fd, port) != 0) return "";
  sockaddr_storage peer{};
  int peer_port = -1;
  socklen_t len = sizeof peer;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0) return "";
  std::string addr = address_text(peer, &peer_port);
  return addr + ":" + std::to_string(peer_port);
}

std::vector<int> open_fds() {
  std::vector<int> fds;
  DIR* d = opendir("/proc/self/fd");
  if (!d) return fds;
  int own = dirfd(d);
  while (dirent* e = readdir(d)) {
    char* end = nullptr;
    long fd = std::strtol(e->d_name, &end, 10);
    if (*end == '\0' && end != e->d_name && fd != own) fds.push_back(static_cast<int>(fd));
  }
  closedir(d);
  return fds;
}

}  // namespace

std::unique_ptr<httplib::TaskQueue> make_worker_pool(std::size_t workers) {
  return std::make_unique<WorkerPool>(workers);
}

void raise_listen_backlog(int port, int backlog) {
  for (int fd : open_fds())
    if (socket_on_port(fd, port) == 1) listen(fd, backlog);
}

ConnectionGuard::~ConnectionGuard() {
  stop();
}

void ConnectionGuard::start(int port, std::chrono::milliseconds deadline, std::uint64_t max_bytes) {
  port_ = port;
  deadline_ = deadline;
  max_bytes_ = max_bytes;
  // Often enough that a client streaming header lines is cut after a few MB at loopback speed.
  auto period = std::min<std::chrono::milliseconds>(deadline / 4, std::chrono::milliseconds(100));
  thread_ = std::thread([this, period] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, period, [this] { return stopping_; })) {
      lock.unlock();
      sweep(false, nullptr);
      lock.lock();
    }
  });
}

void ConnectionGuard::request_done(const std::string& peer_addr, int peer_port) {
  std::lock_guard lock(mutex_);
  done_[peer_addr + ":" + std::to_string(peer_port)] = Clock::now();
}

std::size_t ConnectionGuard::close_all() {
  std::size_t closed = 0;
  sweep(true, &closed);
  return closed;
}

void ConnectionGuard::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ConnectionGuard::sweep(bool close_every_one, std::size_t* closed) {
  const auto now = Clock::now();
  std::map<int, Tracked> seen;
  std::lock_guard lock(mutex_);
  for (int fd : open_fds()) {
    std::string peer = accepted_peer(fd, port_);
    if (peer.empty()) continue;
    const std::uint64_t bytes = tcp_bytes_received(fd).value_or(0);
    Tracked t{peer, now, bytes};
    if (auto it = connections_.find(fd); it != connections_.end() && it->second.peer == peer)
      t = it->second;  // the same connection as last time
    if (auto d = done_.find(peer); d != done_.end() && d->second > t.since) {
      t.since = d->second;
      t.bytes_at_since = bytes;
    }
    const bool too_slow = now - t.since > deadline_;
    const bool too_big = bytes - t.bytes_at_since > max_bytes_;
    if (close_every_one || (!t.shut && (too_slow || too_big))) {
      // shutdown, not close: it wakes the worker blocked reading, which then closes the
      // descriptor itself, so no descriptor is ever closed twice. (Between getpeername and
      // here the worker may close it and a new connection take the number; that connection
      // would be cut. The window is a few system calls wide.)
      shutdown(fd, SHUT_RDWR);
      t.shut = true;
      if (closed) ++*closed;
    }
    seen.emplace(fd, std::move(t));
  }
  connections_ = std::move(seen);
  std::set<std::string> live;
  for (const auto& [fd, t] : connections_) live.insert(t.peer);
  std::erase_if(done_, [&live](const auto& d) { return !live.count(d.first); });
}

}  // namespace flakegrab::serve
