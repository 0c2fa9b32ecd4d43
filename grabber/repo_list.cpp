// Several repositories in one run: the daily job's list, and a loop that lets one unreachable
// repository fail alone.
#include <sstream>

#include "base/error.h"
#include "base/redact_url.h"
#include "grabber/repo.h"

namespace flakegrab {

std::vector<RepoRequest> parse_repo_list(std::string_view text, const std::string& source) {
  std::vector<RepoRequest> out;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    RepoRequest r;
    if (!(words >> r.repo)) continue;
    for (std::string ref; words >> ref;) r.refs.push_back(ref);
    out.push_back(std::move(r));
  }
  if (out.empty()) throw Error(source + ": no repository listed");
  return out;
}

std::vector<RefScan> scan_repositories(const std::vector<RepoRequest>& requests,
                                       const ScanConfig& config, const RepoScanOptions& options) {
  std::vector<RefScan> out;
  for (const auto& r : requests) {
    RefScan failed;
    failed.repo = redact_url(r.repo);
    if (r.refs.empty() && !options.all_branches) {
      failed.error = failed.repo + ": no BRANCH listed (or pass --all-branches)";
      out.push_back(std::move(failed));
      continue;
    }
    try {
      auto scans = scan_repository(r.repo, r.refs, config, options);
      for (auto& s : scans) out.push_back(std::move(s));
    } catch (const Error& e) {
      failed.error = e.what();
      out.push_back(std::move(failed));
    }
  }
  return out;
}

}  // namespace flakegrab
