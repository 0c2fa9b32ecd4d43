#include <algorithm>

#include "base/iso8601.h"
#include "grabber/directory_walk.h"
#include "grabber/read_file.h"
#include "grabber/scan_pipeline.h"

namespace flakegrab {

namespace fs = std::filesystem;

std::optional<PytestConfig> read_pytest_config(const fs::path& root) {
  // pytest's own precedence among config files at the rootdir.
  for (const char* name : {"pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg"}) {
    fs::path p = root / name;
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) continue;
    if (auto cfg = parse_pytest_config(name, read_whole_file(p))) return cfg;
  }
  return std::nullopt;
}

ScanResult scan_directory(const fs::path& root, const ScanConfig& config, unsigned threads) {
  // Lists first (throws naming the root when it cannot be read), then reads the config.
  DirectoryWalk walk = walk_directory(root, [](std::string_view name) {
    return name == ".git" || name == "__pycache__" || name == "node_modules" || name == ".tox" ||
           name == ".venv";
  });
  std::optional<PytestConfig> pytest;
  try {
    pytest = read_pytest_config(root);
  } catch (const Error&) {
    pytest.reset();  // a broken config file does not stop the scan; defaults apply
  }
  std::vector<std::string> globs = config.python_files;
  if (globs.empty() && pytest) globs = pytest->python_files;
  auto wanted = [&](const std::string& rel) {
    return rel.ends_with(".py") && (config.all_files || is_test_file(rel, globs));
  };

  std::vector<ScanJob> jobs;
  std::vector<SkippedFile> early;
  std::uint64_t early_seen = 0;
  for (auto& f : walk.files) {
    if (!wanted(f.rel)) continue;
    if (f.symlink) {
      ++early_seen;
      early.push_back({f.rel, "symlink"});
      continue;
    }
    ScanJob job;
    job.path = f.rel;
    job.size = f.size;
    job.read = [root, rel = f.rel] { return read_file_beneath(root, rel); };
    jobs.push_back(std::move(job));
  }
  // A directory that cannot be listed may hold any number of tests; a file that cannot be
  // looked at counts when its name says it would have been scanned.
  for (auto& u : walk.unreadable) {
    if (!u.directory && !wanted(u.rel)) continue;
    ++early_seen;
    early.push_back({u.rel, std::string(kUnreadable)});
  }
  std::sort(jobs.begin(), jobs.end(),
            [](const ScanJob& a, const ScanJob& b) { return a.path < b.path; });
  ScanResult result = scan_jobs(std::move(jobs), config, nullptr, threads);
  result.stats.files_seen += early_seen;
  for (auto& s : early) result.stats.skipped.push_back(std::move(s));
  std::sort(result.stats.skipped.begin(), result.stats.skipped.end(),
            [](const SkippedFile& a, const SkippedFile& b) { return a.file < b.file; });
  result.complete = scan_is_complete(result.stats);
  result.root = root.string();
  result.scanned_at = utc_now_iso8601();
  if (pytest) record_registered_markers(*pytest, result.stats);
  return result;
}

ScanResult scan_directory(const fs::path& root, const ScanConfig& config) {
  return scan_directory(root, config, 0);
}

}  // namespace flakegrab
