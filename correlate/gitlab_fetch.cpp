#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/url_text.h"
#include "correlate/fetch.h"
#include "correlate/http_get.h"

namespace flakegrab::correlate {

Fetched fetch_gitlab_bundle(const GitlabSource& src, const FetchLimits& limits) {
  std::string base = src.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  SplitUrl s = split_url(base);
  std::string prefix =
      (s.path == "/" ? "" : s.path) + "/api/v4/projects/" + percent_encode(src.project);
  httplib::Headers headers;
  if (!src.token_header.empty() && !src.token.empty()) headers.emplace(src.token_header, src.token);
  const std::string where = "gitlab project " + src.project + " package " + src.package;
  const auto deadline = std::chrono::steady_clock::now() + limits.deadline;
  auto get = [&](const std::string& path, const std::string& what) {
    GetRequest req{s.origin, path, headers,
                   src.token_name.empty() ? src.token_header : src.token_name, what};
    return bounded_get(req, limits, deadline);
  };

  auto list_text = get(prefix + "/packages?package_name=" + percent_encode(src.package) +
                           "&package_type=generic&order_by=created_at&sort=desc",
                       where);
  auto list = nlohmann::json::parse(list_text, nullptr, false);
  if (!list.is_array()) throw Error(where + ": package list is not a JSON array");
  const nlohmann::json* newest = nullptr;
  for (const auto& p : list) {
    // The API filters by name loosely (substring); insist on the exact name.
    if (p.is_object() && p.contains("name") && p["name"].is_string() &&
        p["name"].get<std::string>() == src.package && p.contains("id")) {
      newest = &p;
      break;
    }
  }
  if (!newest) throw Error(where + ": no such generic package");
  auto v = newest->find("version");
  if (v == newest->end() || !v->is_string())
    throw Error(where + ": package list: version is not a string");
  const std::string version = v->get<std::string>();
  const nlohmann::json& raw_id = (*newest)["id"];
  std::string id;
  if (raw_id.is_number_integer()) {
    id = std::to_string(raw_id.get<long long>());
  } else if (raw_id.is_string() && !raw_id.get<std::string>().empty()) {
    id = raw_id.get<std::string>();
  } else {
    throw Error(where + ": package list: id of version " + version +
                " is not a number or string (" + raw_id.type_name() + ")");
  }

  auto files_text = get(prefix + "/packages/" + percent_encode(id) + "/package_files",
                        where + " version " + version);
  auto files = nlohmann::json::parse(files_text, nullptr, false);
  if (!files.is_array())
    throw Error(where + " version " + version + ": file list is not a JSON array");
  std::string file;
  for (const auto& f : files) {
    std::string n = f.is_object() && f.contains("file_name") && f["file_name"].is_string()
                        ? f["file_name"].get<std::string>()
                        : "";
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
  return {get(prefix + "/packages/generic/" + percent_encode(src.package) + "/" +
                  percent_encode(version) + "/" + percent_encode(file),
              name),
          name};
}

}  // namespace flakegrab::correlate
