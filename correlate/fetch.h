#pragma once
// Fetching bundles over HTTP: a plain URL, or the newest version of a GitLab Generic Package.
#include <chrono>
#include <cstdint>
#include <string>

#include "grabber/auth_policy.h"

namespace flakegrab::correlate {

struct Fetched {
  std::string body;
  std::string source;  // what to name in messages: the URL without query or credentials
};

// Bounds on one download (every request of it, redirects included).
struct FetchLimits {
  std::uint64_t max_bytes = 256ull * 1024 * 1024;                 // --max-download-bytes
  std::chrono::milliseconds deadline{std::chrono::seconds(300)};  // --download-timeout
  AuthPolicy auth;  // tokens over plain http only with --allow-insecure-auth
};

// GET url (http://, or https:// when cpp-httplib has TLS support), following up to 5
// redirects. Throws flakegrab::Error naming the URL when the body exceeds limits.max_bytes or
// the whole download takes longer than limits.deadline.
Fetched fetch_url(const std::string& url, const FetchLimits& limits = {});

struct GitlabSource {
  std::string base_url;  // "https://gitlab.example.com" (http:// allowed, e.g. for tests)
  std::string project;   // numeric id or "group/sub/project" (URL-encoded here)
  std::string package = "flake-history";
  std::string file_name;     // "" : "bundle.json" if present, else the first *.json file
  std::string token_header;  // "PRIVATE-TOKEN" or "JOB-TOKEN"; "" for anonymous
  std::string token;         // never appears in errors or output
  std::string token_name;    // where the token came from ("GITLAB_TOKEN"), for messages
};

// Newest package version by created_at, then its bundle file. The token goes only to the
// base URL's origin (a redirect elsewhere drops it) and over plain http only when
// limits.auth allows it; a withheld token is named in the error of a refused request.
Fetched fetch_gitlab_bundle(const GitlabSource& source, const FetchLimits& limits = {});

}  // namespace flakegrab::correlate
