#pragma once
// Test helpers: scratch directories and running the real flakegrab binary.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace flakegrab::test {

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view rel) const { return path_ / rel; }

 private:
  std::filesystem::path path_;
};

void write_file(const std::filesystem::path& path, std::string_view contents);
std::string read_file(const std::filesystem::path& path);
// Puts back a file's mtime (nanoseconds since the epoch), as `cp -p`, `rsync -t` or `touch -r`
// do after writing it; its ctime stays the time of the call. Throws when it cannot.
void set_mtime(const std::filesystem::path& file, std::int64_t mtime_ns);

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `program args...` with stdin from /dev/null; `env` entries are added to (or, with an
// empty value, removed from) the current environment. Returns once it exits.
RunResult run(const std::filesystem::path& program, const std::vector<std::string>& args,
              const std::map<std::string, std::string>& env = {},
              const std::filesystem::path& cwd = {});

// A program running in the background: stdin from /dev/null, stdout and stderr to the given
// files (empty: /dev/null), `env` applied as run() does, a program without '/' found on PATH.
// Killed (SIGKILL) on destruction if still running.
class Background {
 public:
  Background(const std::filesystem::path& program, const std::vector<std::string>& args,
             const std::map<std::string, std::string>& env = {},
             const std::filesystem::path& out = {}, const std::filesystem::path& err = {});
  ~Background();
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;
  // SIGTERM, then waits at most `limit`: the exit code as run() gives it, -1 if still running.
  int terminate(std::chrono::milliseconds limit = std::chrono::seconds(10));

 private:
  pid_t pid_;
};

// The flakegrab binary built by this tree.
RunResult run_cli(const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env = {},
                  const std::filesystem::path& cwd = {});

// A TCP port on 127.0.0.1 that nothing listened on a moment ago.
int free_port();
// Whether something accepts connections on 127.0.0.1:port.
bool port_open(int port);

}  // namespace flakegrab::test
