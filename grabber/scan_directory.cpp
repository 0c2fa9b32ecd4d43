#include <algorithm>

#include "grabber/read_file.h"
#include "grabber/scan_pipeline.h"

namespace flakegrab {

namespace fs = std::filesystem;

namespace {

bool is_python(const fs::path& p) {
  return p.extension() == ".py";
}

}  // namespace

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
  std::error_code ec;
  if (!fs::is_directory(root, ec)) throw Error(root.string() + ": not a readable directory");
  std::optional<PytestConfig> pytest;
  try {
    pytest = read_pytest_config(root);
  } catch (const Error&) {
    pytest.reset();  // a broken config file does not stop the scan; defaults apply
  }
  std::vector<std::string> globs = config.python_files;
  if (globs.empty() && pytest) globs = pytest->python_files;

  std::vector<ScanJob> jobs;
  std::vector<SkippedFile> early;
  std::uint64_t early_seen = 0;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) throw Error(root.string() + ": cannot list: " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const fs::directory_entry& e = *it;
    std::string name = e.path().filename().string();
    std::string rel = e.path().lexically_relative(root).generic_string();
    if (e.is_symlink(ec)) {
      if (is_python(e.path()) && (config.all_files || is_test_file(rel, globs))) {
        ++early_seen;
        early.push_back({rel, "symlink"});
      }
      continue;  // never followed: a link may leave the tree or loop
    }
    if (e.is_directory(ec)) {
      if (name == ".git" || name == "__pycache__" || name == "node_modules" || name == ".tox" ||
          name == ".venv")
        it.disable_recursion_pending();
      continue;
    }
    if (!e.is_regular_file(ec) || !is_python(e.path())) continue;
    if (!config.all_files && !is_test_file(rel, globs)) continue;
    ScanJob job;
    job.path = rel;
    job.size = e.file_size(ec);
    fs::path full = e.path();
    job.read = [full] { return read_whole_file(full); };
    jobs.push_back(std::move(job));
  }
  std::sort(jobs.begin(), jobs.end(),
            [](const ScanJob& a, const ScanJob& b) { return a.path < b.path; });
  ScanResult result = scan_jobs(std::move(jobs), config, nullptr, threads);
  result.stats.files_seen += early_seen;
  for (auto& s : early) result.stats.skipped.push_back(std::move(s));
  std::sort(result.stats.skipped.begin(), result.stats.skipped.end(),
            [](const SkippedFile& a, const SkippedFile& b) { return a.file < b.file; });
  result.root = root.string();
  result.scanned_at = utc_now_iso8601();
  if (pytest) record_registered_markers(*pytest, result.stats);
  return result;
}

ScanResult scan_directory(const fs::path& root, const ScanConfig& config) {
  return scan_directory(root, config, 0);
}

}  // namespace flakegrab
