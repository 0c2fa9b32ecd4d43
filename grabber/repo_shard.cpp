// Splitting a repository list between pods: a stable hash of each repository's normalised URL.
#include <cctype>
#include <charconv>
#include <filesystem>

#include "base/error.h"
#include "base/fnv1a.h"
#include "base/redact_url.h"
#include "grabber/repo.h"

namespace flakegrab {
namespace {

void lower(std::string& s, size_t begin, size_t end) {
  for (size_t i = begin; i < end && i < s.size(); ++i)
    s[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
}

// The spellings of one repository a list may hold: trailing slashes, a ".git" suffix.
void trim_tail(std::string& s) {
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  if (s.size() > 4 && s.ends_with(".git")) s.resize(s.size() - 4);
  while (s.size() > 1 && s.back() == '/') s.pop_back();
}

std::size_t parse_count(std::string_view digits, std::string_view text) {
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
    throw Error("--shard " + std::string(text) + ": expected I/N such as 0/4");
  return n;
}

}  // namespace

std::string repo_shard_key(std::string_view repo) {
  std::string s;
  if (size_t sep = repo.find("://"); sep != std::string_view::npos) {
    // Credentials never decide (nor reach) anything; scheme and host are case-insensitive.
    s = redact_url(repo);
    sep = s.find("://");
    size_t host_end = s.find('/', sep + 3);
    lower(s, 0, host_end == std::string::npos ? s.size() : host_end);
  } else if (size_t colon = repo.find(':'), at = repo.find('@');
             at != std::string_view::npos && colon != std::string_view::npos && at < colon &&
             repo.substr(0, colon).find('/') == std::string_view::npos) {
    s = std::string(repo);  // user@host:path
    lower(s, at + 1, colon);
  } else {
    s = std::filesystem::absolute(std::filesystem::path(repo)).lexically_normal().string();
  }
  trim_tail(s);
  return s;
}

std::size_t repo_shard(std::string_view repo, std::size_t count) {
  return count == 0 ? 0 : fnv1a64(repo_shard_key(repo)) % count;
}

RepoShard parse_repo_shard(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos)
    throw Error("--shard " + std::string(text) + ": expected I/N such as 0/4");
  RepoShard s{parse_count(text.substr(0, slash), text), parse_count(text.substr(slash + 1), text)};
  if (s.count == 0 || s.index >= s.count)
    throw Error("--shard " + std::string(text) + ": I must be at least 0 and below N");
  return s;
}

}  // namespace flakegrab
