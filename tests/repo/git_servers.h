#pragma once
// Loopback network peers for the transport tests: `git daemon`, and an HTTP server (cpp-httplib)
// that checks Basic auth and hands requests to `git http-backend` as CGI. The code under test
// talks to them with libgit2 only; these processes are peers, never part of the product.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "support/process.h"

extern char** environ;

namespace flakegrab::test {

// `git daemon` serving every repository under base_path at git://127.0.0.1:<port>/<name>.
class GitDaemon {
 public:
  explicit GitDaemon(const std::filesystem::path& base_path)
      : port_(free_port()),
        proc_(std::make_unique<Background>(
            "git",
            std::vector<std::string>{"daemon", "--export-all", "--reuseaddr", "--listen=127.0.0.1",
                                     "--port=" + std::to_string(port_),
                                     "--base-path=" + base_path.string(), base_path.string()})) {
    for (int i = 0; i < 200 && !port_open(port_); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  void stop() {
    if (proc_) proc_->terminate();
    proc_.reset();
  }
  std::string url(const std::string& name) const {
    return "git://127.0.0.1:" + std::to_string(port_) + "/" + name;
  }

 private:
  int port_;
  std::unique_ptr<Background> proc_;
};

// Runs `git http-backend` once as a CGI script: request body in, parsed response out.
inline void run_http_backend(const std::filesystem::path& project_root, const httplib::Request& req,
                             httplib::Response& res, std::string& body_out) {
  TempDir io;
  write_file(io / "in", req.body);
  std::map<std::string, std::string> env{
      {"GIT_PROJECT_ROOT", project_root.string()},
      {"GIT_HTTP_EXPORT_ALL", "1"},
      {"REQUEST_METHOD", req.method},
      {"QUERY_STRING", ""},
      {"PATH_INFO", req.path.substr(std::string("/git").size())},
      {"CONTENT_TYPE", req.get_header_value("Content-Type")},
      {"CONTENT_LENGTH", std::to_string(req.body.size())},
      {"HTTP_CONTENT_ENCODING", req.get_header_value("Content-Encoding")},
      {"GIT_PROTOCOL", req.get_header_value("Git-Protocol")},
      {"REMOTE_ADDR", "127.0.0.1"},
      {"REMOTE_USER", "tester"},
  };
  std::string query;
  for (const auto& [k, v] : req.params) query += (query.empty() ? "" : "&") + k + "=" + v;
  env["QUERY_STRING"] = query;
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  if (const char* path = std::getenv("PATH")) env_strings.push_back(std::string("PATH=") + path);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args{"git", "http-backend"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  auto in = io / "in";
  auto out = io / "out";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, "git", &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    res.status = 500;
    return;
  }
  ::waitpid(pid, nullptr, 0);
  std::string raw = read_file(out);
  auto split = raw.find("\r\n\r\n");
  size_t sep_len = 4;
  if (split == std::string::npos) {
    split = raw.find("\n\n");
    sep_len = 2;
  }
  std::string head = raw.substr(0, split == std::string::npos ? 0 : split);
  body_out = split == std::string::npos ? raw : raw.substr(split + sep_len);
  res.status = 200;
  std::string content_type = "application/octet-stream";
  size_t pos = 0;
  while (pos < head.size()) {
    size_t eol = head.find('\n', pos);
    std::string line = head.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    pos = eol == std::string::npos ? head.size() : eol + 1;
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    if (key == "Status") {
      res.status = std::stoi(value);
    } else if (key == "Content-Type") {
      content_type = value;
    } else {
      res.set_header(key, value);
    }
  }
  res.set_header("Content-Type", content_type);
}

inline std::string base64(const std::string& in) {
  static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v =
        (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    out += {tbl[v >> 18], tbl[(v >> 12) & 63], tbl[(v >> 6) & 63], tbl[v & 63]};
  }
  if (i + 1 == in.size()) {
    unsigned v = (unsigned char)in[i] << 16;
    out += {tbl[v >> 18], tbl[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
    out += {tbl[v >> 18], tbl[(v >> 12) & 63], tbl[(v >> 6) & 63], '='};
  }
  return out;
}

// Smart-HTTP git server on 127.0.0.1 requiring Basic auth "x-access-token:<token>" (empty token:
// no auth). With truncate_packs > 0, that many upload-pack answers are cut off halfway and the
// connection dropped, like a server dying mid-clone.
class GitHttpServer {
 public:
  GitHttpServer(std::filesystem::path project_root, std::string token)
      : root_(std::move(project_root)), token_(std::move(token)) {
    server_.Get(R"(/git/.*)",
                [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
    server_.Post(R"(/git/.*)",
                 [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~GitHttpServer() {
    server_.stop();
    thread_.join();
  }
  std::string url(const std::string& name) const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/git/" + name;
  }
  std::atomic<int> truncate_packs{0};
  std::atomic<int> auth_failures{0};
  std::atomic<int> pack_requests{0};
  std::atomic<int> authorized_requests{0};  // requests that carried any Authorization header

 private:
  void handle(const httplib::Request& req, httplib::Response& res) {
    if (req.has_header("Authorization")) ++authorized_requests;
    if (!token_.empty()) {
      std::string expected = "Basic " + base64("x-access-token:" + token_);
      if (req.get_header_value("Authorization") != expected) {
        ++auth_failures;
        res.status = 401;
        res.set_header("WWW-Authenticate", "Basic realm=\"flakegrab-test\"");
        return;
      }
    }
    auto body = std::make_shared<std::string>();
    run_http_backend(root_, req, res, *body);
    bool is_pack = req.method == "POST";
    if (is_pack) ++pack_requests;
    std::string type = res.get_header_value("Content-Type");
    if (is_pack && truncate_packs.load() > 0) {
      --truncate_packs;
      size_t total = body->size();
      res.set_content_provider(total, type,
                               [body, total](size_t offset, size_t, httplib::DataSink& sink) {
                                 if (offset >= total / 2)
                                   return false;  // drop the connection mid-pack
                                 sink.write(body->data() + offset, total / 2 - offset);
                                 return true;
                               });
      return;
    }
    res.set_content(*body, type);
  }

  std::filesystem::path root_;
  std::string token_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace flakegrab::test
