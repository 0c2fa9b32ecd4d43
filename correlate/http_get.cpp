#include "correlate/http_get.h"

#include <algorithm>

#include "base/error.h"

namespace flakegrab::correlate {
namespace {

constexpr int kMaxRedirects = 5;

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string mib(std::uint64_t bytes) {
  return std::to_string(bytes) + " bytes";
}

}  // namespace

SplitUrl split_url(const std::string& url) {
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

std::string display_url(const std::string& url) {
  return url.substr(0, url.find('?'));
}

std::string bounded_get(const GetRequest& request, const FetchLimits& limits,
                        std::chrono::steady_clock::time_point deadline) {
  using clock = std::chrono::steady_clock;
  const std::string deadline_text =
      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(limits.deadline).count()) +
      " s";
  std::string origin = request.origin, path = request.path;
  httplib::Headers headers;
  std::string withheld;  // why the credential is not sent, for the error of a refusal
  if (!request.credentials.empty()) {
    if (may_send_credential(origin, limits.auth)) {
      headers = request.credentials;
    } else {
      withheld = withheld_credential_message(request.credential_name, origin);
    }
  }
  const std::string first_origin = url_origin(origin);
  for (int hop = 0;; ++hop) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
    if (left.count() <= 0)
      throw Error(request.what + ": download took longer than " + deadline_text);
    httplib::Client client(origin);
    client.set_follow_location(false);
    auto secs = [](std::chrono::milliseconds ms) {
      return std::pair<time_t, time_t>(ms.count() / 1000, (ms.count() % 1000) * 1000);
    };
    auto [cs, cus] = secs(std::min(left, std::chrono::milliseconds(10000)));
    client.set_connection_timeout(cs, cus);
    auto [rs, rus] = secs(left);
    client.set_read_timeout(rs, rus);

    int status = 0;
    std::string location, body;
    bool too_big = false, too_slow = false;
    auto on_response = [&](const httplib::Response& r) {
      status = r.status;
      location = r.get_header_value("Location");
      if (status != 200) return false;  // the body of a redirect or refusal is not needed
      if (r.has_header("Content-Length")) {
        auto declared = std::strtoull(r.get_header_value("Content-Length").c_str(), nullptr, 10);
        if (declared > limits.max_bytes) return !(too_big = true);
      }
      return true;
    };
    auto on_data = [&](const char* data, std::size_t n) {
      if (body.size() + n > limits.max_bytes) return !(too_big = true);
      if (clock::now() > deadline) return !(too_slow = true);
      body.append(data, n);
      return true;
    };
    auto res = client.Get(path, headers, on_response, on_data);
    if (too_big)
      throw Error(request.what + ": response larger than --max-download-bytes (" +
                  mib(limits.max_bytes) + ")");
    if (too_slow || (!res && clock::now() >= deadline))
      throw Error(request.what + ": download took longer than " + deadline_text);
    if (is_redirect(status)) {
      if (location.empty())
        throw Error(request.what + ": HTTP " + std::to_string(status) + " without a Location");
      if (hop + 1 >= kMaxRedirects) throw Error(request.what + ": too many redirects");
      if (location.find("://") == std::string::npos) {
        if (location.front() != '/') throw Error(request.what + ": relative redirect refused");
        path = location;
      } else {
        SplitUrl next = split_url(location);
        origin = next.origin;
        path = next.path;
      }
      // Credentials were given for the first origin only.
      if (!headers.empty() && url_origin(origin) != first_origin) {
        headers.clear();
        withheld = request.credential_name + " not sent to " + url_origin(origin) +
                   ", another origin than " + first_origin + " (redirect)";
      }
      continue;
    }
    if (status == 0 && !res)
      throw Error(request.what + ": request failed (" + httplib::to_string(res.error()) + ")");
    if (status != 200)
      throw Error(request.what + ": HTTP " + std::to_string(status) +
                  (withheld.empty() ? "" : " (" + withheld + ")"));
    if (!res)
      throw Error(request.what + ": request failed (" + httplib::to_string(res.error()) + ")");
    return body;
  }
}

Fetched fetch_url(const std::string& url, const FetchLimits& limits) {
  SplitUrl s = split_url(url);
  GetRequest req{s.origin, s.path, {}, "", display_url(url)};
  return {bounded_get(req, limits, std::chrono::steady_clock::now() + limits.deadline),
          display_url(url)};
}

}  // namespace flakegrab::correlate
