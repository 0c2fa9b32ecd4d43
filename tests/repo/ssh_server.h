#pragma once
// OpenSSH's sshd on 127.0.0.1 as a peer for the ssh transport tests: its own host key, one
// authorized client key, and a HOME for the client holding that key and a known_hosts file.
// The code under test talks to it with libgit2 (libssh2) only.
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>

#include "support/process.h"

namespace flakegrab::test {

class SshServer {
 public:
  SshServer() : port_(free_port()) {
    namespace fs = std::filesystem;
    fs::create_directories(home() / ".ssh");
    keygen(dir_ / "host_key");
    keygen(home() / ".ssh/id_ed25519");
    fs::copy_file(home() / ".ssh/id_ed25519.pub", dir_ / "authorized_keys");
    trust_host_key(dir_ / "host_key.pub");
    if (::geteuid() == 0) fs::create_directories("/run/sshd");  // privilege separation dir
    write_file(dir_ / "sshd_config",
               "Port " + std::to_string(port_) + "\nListenAddress 127.0.0.1\nHostKey " +
                   (dir_ / "host_key").string() + "\nAuthorizedKeysFile " +
                   (dir_ / "authorized_keys").string() + "\nPidFile " +
                   (dir_ / "sshd.pid").string() +
                   "\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n"
                   "KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n");
    auto r = run("/usr/sbin/sshd",
                 {"-f", (dir_ / "sshd_config").string(), "-E", (dir_ / "sshd.log").string()});
    if (r.exit_code != 0) throw std::runtime_error("sshd failed: " + r.err);
    for (int i = 0; i < 200 && !port_open(port_); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!port_open(port_)) throw std::runtime_error("sshd is not listening: " + log());
  }
  ~SshServer() {
    std::string pid = read_file(dir_ / "sshd.pid");
    if (!pid.empty()) ::kill(std::stoi(pid), SIGTERM);
  }
  SshServer(const SshServer&) = delete;
  SshServer& operator=(const SshServer&) = delete;

  // ssh://USER@127.0.0.1:PORT/abs/path
  std::string url(const std::filesystem::path& repo) const {
    return "ssh://" + std::string(::getpwuid(::geteuid())->pw_name) +
           "@127.0.0.1:" + std::to_string(port_) + repo.string();
  }
  std::filesystem::path home() const { return dir_ / "home"; }
  std::string log() const { return read_file(dir_ / "sshd.log"); }

  // known_hosts then lists `pub` for this server (replacing what it listed).
  void trust_host_key(const std::filesystem::path& pub) const {
    std::string key = read_file(pub);
    key = key.substr(0, key.find(' ', key.find(' ') + 1));  // "type base64"
    write_file(home() / ".ssh/known_hosts",
               "[127.0.0.1]:" + std::to_string(port_) + " " + key + "\n");
  }
  void keygen(const std::filesystem::path& key) const {
    auto r = run("/usr/bin/ssh-keygen", {"-q", "-t", "ed25519", "-N", "", "-f", key.string()});
    if (r.exit_code != 0) throw std::runtime_error("ssh-keygen failed: " + r.err);
  }

 private:
  TempDir dir_;
  int port_;
};

}  // namespace flakegrab::test
