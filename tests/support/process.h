#pragma once
// Test helpers: scratch directories and running the real flakegrab binary.
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

// The flakegrab binary built by this tree.
RunResult run_cli(const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env = {},
                  const std::filesystem::path& cwd = {});

// A TCP port on 127.0.0.1 that nothing listened on a moment ago.
int free_port();
// Whether something accepts connections on 127.0.0.1:port.
bool port_open(int port);

}  // namespace flakegrab::test
