#include <httplib.h>

#include <nlohmann/json.hpp>

#include "correlate/fetch.h"
#include "grabber/error.h"

namespace flakegrab::correlate {
namespace {

struct SplitUrl {
  std::string origin;  // scheme://host[:port]
  std::string path;    // "/..." with query
};

SplitUrl split(const std::string& url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) throw Error(url + ": not an http(s) URL");
  std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") throw Error(url + ": not an http(s) URL");
  auto path_start = url.find('/', scheme_end + 3);
  SplitUrl s;
  s.origin = url.substr(0, path_start);
  s.path = path_start == std::string::npos ? "/" : url.substr(path_start);
  if (s.origin.find('@') != std::string::npos)
    throw Error("URL with embedded credentials refused; use GITLAB_TOKEN instead");
  return s;
}

// Drops the query, which may carry a token.
std::string display(const std::string& url) {
  return url.substr(0, url.find('?'));
}

std::string get(const std::string& origin, const std::string& path, const httplib::Headers& headers,
                const std::string& what) {
  httplib::Client client(origin);
  client.set_follow_location(true);
  client.set_connection_timeout(10);
  client.set_read_timeout(60);
  auto res = client.Get(path.c_str(), headers);
  if (!res) throw Error(what + ": request failed (" + httplib::to_string(res.error()) + ")");
  if (res->status != 200) throw Error(what + ": HTTP " + std::to_string(res->status));
  return res->body;
}

}  // namespace

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

Fetched fetch_url(const std::string& url) {
  SplitUrl s = split(url);
  return {get(s.origin, s.path, {}, display(url)), display(url)};
}

Fetched fetch_gitlab_bundle(const GitlabSource& src) {
  std::string base = src.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  SplitUrl s = split(base);
  std::string prefix =
      (s.path == "/" ? "" : s.path) + "/api/v4/projects/" + url_encode(src.project);
  httplib::Headers headers;
  if (!src.token_header.empty() && !src.token.empty()) headers.emplace(src.token_header, src.token);
  const std::string where = "gitlab project " + src.project + " package " + src.package;

  auto list_text = get(s.origin,
                       prefix + "/packages?package_name=" + url_encode(src.package) +
                           "&package_type=generic&order_by=created_at&sort=desc",
                       headers, where);
  auto list = nlohmann::json::parse(list_text, nullptr, false);
  if (!list.is_array()) throw Error(where + ": package list is not a JSON array");
  const nlohmann::json* newest = nullptr;
  for (const auto& p : list) {
    // The API filters by name loosely (substring); insist on the exact name.
    if (p.is_object() && p.value("name", "") == src.package && p.contains("id")) {
      newest = &p;
      break;
    }
  }
  if (!newest) throw Error(where + ": no such generic package");
  const std::string version = newest->value("version", "");
  const std::string id = (*newest)["id"].is_number()
                             ? std::to_string((*newest)["id"].get<long long>())
                             : (*newest)["id"].get<std::string>();

  auto files_text = get(s.origin, prefix + "/packages/" + id + "/package_files", headers,
                        where + " version " + version);
  auto files = nlohmann::json::parse(files_text, nullptr, false);
  if (!files.is_array())
    throw Error(where + " version " + version + ": file list is not a JSON array");
  std::string file;
  for (const auto& f : files) {
    std::string n = f.is_object() ? f.value("file_name", "") : "";
    if (!src.file_name.empty() ? n == src.file_name : n == "bundle.json") {
      file = n;
      break;
    }
    if (src.file_name.empty() && file.empty() && n.size() > 5 && n.ends_with(".json")) file = n;
  }
  if (file.empty())
    throw Error(where + " version " + version + ": no " +
                (src.file_name.empty() ? std::string("*.json") : src.file_name) + " file");
  const std::string name = where + " version " + version + " file " + file;
  return {get(s.origin,
              prefix + "/packages/generic/" + url_encode(src.package) + "/" + url_encode(version) +
                  "/" + url_encode(file),
              headers, name),
          name};
}

}  // namespace flakegrab::correlate
