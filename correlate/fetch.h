#pragma once
// Fetching bundles over HTTP: a plain URL, or the newest version of a GitLab Generic Package.
#include <string>

namespace flakegrab::correlate {

struct Fetched {
  std::string body;
  std::string source;  // what to name in messages: the URL without query or credentials
};

// GET url (http://, or https:// when cpp-httplib has TLS support). Throws flakegrab::Error.
Fetched fetch_url(const std::string& url);

struct GitlabSource {
  std::string base_url;  // "https://gitlab.example.com" (http:// allowed, e.g. for tests)
  std::string project;   // numeric id or "group/sub/project" (URL-encoded here)
  std::string package = "flake-history";
  std::string file_name;     // "" : "bundle.json" if present, else the first *.json file
  std::string token_header;  // "PRIVATE-TOKEN" or "JOB-TOKEN"; "" for anonymous
  std::string token;         // never appears in errors or output
};

// Newest package version by created_at, then its bundle file.
Fetched fetch_gitlab_bundle(const GitlabSource& source);

std::string url_encode(const std::string& s);

}  // namespace flakegrab::correlate
