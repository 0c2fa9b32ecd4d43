#include <gtest/gtest.h>

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "base/error.h"
#include "correlate/bundle.h"
#include "correlate/fetch.h"
#include "support/paths.h"
#include "support/process.h"

namespace flakegrab::correlate {
namespace {

// A real HTTP server on 127.0.0.1 playing the GitLab packages API.
class FakeGitlab {
 public:
  FakeGitlab() {
    sample_ = test::read_file(test::contracts_dir() / "flake-history-bundle-sample.json");
    // The server matches the decoded path; authorised() checks the raw target was encoded.
    const std::string base = "/api/v4/projects/group/sub/proj";
    server_.Get(base + "/packages", [this](const httplib::Request& req, httplib::Response& res) {
      if (!authorised(req, res)) return;
      last_query_ = req.get_param_value("package_name") + "|" +
                    req.get_param_value("package_type") + "|" + req.get_param_value("order_by") +
                    "|" + req.get_param_value("sort");
      res.set_content(packages_, "application/json");
    });
    server_.Get(base + "/packages/42/package_files",
                [this](const httplib::Request& req, httplib::Response& res) {
                  if (!authorised(req, res)) return;
                  res.set_content(R"([{"file_name": "notes.txt"}, {"file_name": "bundle.json"}])",
                                  "application/json");
                });
    server_.Get(base + "/packages/generic/flake-history/1716300000/bundle.json",
                [this](const httplib::Request& req, httplib::Response& res) {
                  if (!authorised(req, res)) return;
                  res.set_content(sample_, "application/json");
                });
    server_.Get("/static/bundle.json", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(sample_, "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~FakeGitlab() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string last_query_;
  std::string header_seen_;
  std::string packages_ = R"([{"id": 42, "name": "flake-history", "version": "1716300000"},
                              {"id": 41, "name": "flake-history", "version": "1716200000"}])";

 private:
  bool authorised(const httplib::Request& req, httplib::Response& res) {
    if (req.target.find("/projects/group%2Fsub%2Fproj/") == std::string::npos) {
      res.status = 404;
      return false;
    }
    if (req.get_header_value("PRIVATE-TOKEN") == "glpat-secret-123") {
      header_seen_ = "PRIVATE-TOKEN";
      return true;
    }
    if (req.get_header_value("JOB-TOKEN") == "job-secret-456") {
      header_seen_ = "JOB-TOKEN";
      return true;
    }
    res.status = 401;
    res.set_content(R"({"message":"401 Unauthorized"})", "application/json");
    return false;
  }
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::string sample_;
};

// The test servers speak plain http on loopback: tokens go there only with the opt-in.
FetchLimits insecure_ok() {
  FetchLimits l;
  l.auth.allow_insecure = true;
  return l;
}

// A loopback server that records every credential header it is sent, and answers
// everything with a 302 to redirect_to + path when that is set, /chunked?bytes=N with N bytes in
// chunks, /trickle with one byte every 100 ms (until stopped), anything else with 401.
class Recorder {
 public:
  Recorder() {
    server_.Get(".*", [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard lock(mu_);
        for (const char* h : {"PRIVATE-TOKEN", "JOB-TOKEN", "Authorization"})
          if (req.has_header(h)) tokens_seen_.push_back(req.get_header_value(h));
      }
      if (!redirect_to.empty()) {
        res.status = 302;
        res.set_header("Location", redirect_to + req.path);
      } else if (req.path == "/chunked") {
        auto total = std::stoull(req.get_param_value("bytes"));
        res.set_chunked_content_provider(
            "application/json", [total](std::size_t offset, httplib::DataSink& sink) {
              if (offset >= total) {
                sink.done();
                return true;
              }
              std::string chunk(std::min<std::size_t>(65536, total - offset), ' ');
              return sink.write(chunk.data(), chunk.size());
            });
      } else if (req.path == "/trickle") {
        res.set_chunked_content_provider(
            "application/json", [this](std::size_t, httplib::DataSink& sink) {
              if (stop_) return false;
              std::this_thread::sleep_for(std::chrono::milliseconds(100));
              return sink.write(" ", 1);
            });
      } else {
        res.status = 401;
      }
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~Recorder() {
    stop_ = true;
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string redirect_to;
  std::vector<std::string> tokens_seen() {
    std::lock_guard lock(mu_);
    return tokens_seen_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<std::string> tokens_seen_;
};

// Issue 8 item 1: a redirect to another origin must not carry the GitLab token there.
TEST(GitlabFetch, RedirectToAnotherOriginDropsTheToken) {
  Recorder gitlab, elsewhere;
  GitlabSource src;
  src.project = "p";
  src.token_header = "PRIVATE-TOKEN";
  src.token = "glpat-secret-123";
  src.token_name = "GITLAB_TOKEN";
  // The "GitLab" answers with a redirect to another origin (another port).
  gitlab.redirect_to = elsewhere.url();
  src.base_url = gitlab.url();
  try {
    fetch_gitlab_bundle(src, insecure_ok());
    FAIL() << "expected the other origin's 401";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("HTTP 401"), std::string::npos) << msg;
    EXPECT_NE(msg.find("GITLAB_TOKEN not sent to " + elsewhere.url()), std::string::npos) << msg;
    EXPECT_EQ(msg.find("glpat-secret-123"), std::string::npos) << msg;
  }
  EXPECT_EQ(gitlab.tokens_seen(), std::vector<std::string>{"glpat-secret-123"});
  EXPECT_TRUE(elsewhere.tokens_seen().empty());
}

// Issue 8 item 2 for GitLab: no token over plain http without --allow-insecure-auth.
TEST(GitlabFetch, PlainHttpWithholdsTheTokenAndSaysSo) {
  Recorder gitlab;
  GitlabSource src;
  src.base_url = gitlab.url();
  src.project = "p";
  src.token_header = "PRIVATE-TOKEN";
  src.token = "glpat-secret-123";
  src.token_name = "GITLAB_TOKEN";
  try {
    fetch_gitlab_bundle(src);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("GITLAB_TOKEN not sent over plain http"),
              std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(gitlab.tokens_seen().empty());
}

// Issue 8 item 7: a size cap and a total deadline on remote bundles.
TEST(UrlFetch, BodyLargerThanTheCapIsRefused) {
  Recorder server;
  FetchLimits limits;
  limits.max_bytes = 1 << 20;
  try {
    fetch_url(server.url() + "/chunked?bytes=" + std::to_string(8 << 20), limits);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--max-download-bytes"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(fetch_url(server.url() + "/chunked?bytes=1000", limits));
}

TEST(UrlFetch, TrickleIsCutAtTheDeadline) {
  Recorder server;
  FetchLimits limits;
  limits.deadline = std::chrono::milliseconds(800);
  auto start = std::chrono::steady_clock::now();
  try {
    fetch_url(server.url() + "/trickle", limits);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("longer than"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
}

TEST(GitlabFetch, NewestVersionOfTheGenericPackage) {
  FakeGitlab gl;
  GitlabSource src;
  src.base_url = gl.url() + "/";
  src.project = "group/sub/proj";
  src.token_header = "PRIVATE-TOKEN";
  src.token = "glpat-secret-123";
  Fetched f = fetch_gitlab_bundle(src, insecure_ok());
  EXPECT_EQ(gl.last_query_, "flake-history|generic|created_at|desc");
  EXPECT_EQ(gl.header_seen_, "PRIVATE-TOKEN");
  EXPECT_NE(f.source.find("version 1716300000 file bundle.json"), std::string::npos);
  Bundle b = parse_bundle(f.body, f.source);
  EXPECT_EQ(b.runs.size(), 4u);
}

// GitLab's package id is a number; a string one is taken as it is (and encoded into the path),
// anything else is a one-line error naming the version, not an internal error.
TEST(GitlabFetch, PackageIdsOfEveryJsonType) {
  FakeGitlab gl;
  GitlabSource src{gl.url(), "group/sub/proj", "flake-history", "", "JOB-TOKEN", "job-secret-456",
                   ""};
  gl.packages_ = R"([{"id": "42", "name": "flake-history", "version": "1716300000"}])";
  EXPECT_NO_THROW(fetch_gitlab_bundle(src, insecure_ok()));
  for (const char* id : {R"({"n": 42})", "null", "4.2", "[42]", R"("")"}) {
    gl.packages_ =
        std::string(R"([{"id": )") + id + R"(, "name": "flake-history", "version": "1716300000"}])";
    try {
      fetch_gitlab_bundle(src, insecure_ok());
      ADD_FAILURE() << "id " << id << " accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("id of version 1716300000 is not a number or string"),
                std::string::npos)
          << id << ": " << e.what();
    }
  }
}

TEST(GitlabFetch, JobTokenHeader) {
  FakeGitlab gl;
  GitlabSource src{gl.url(), "group/sub/proj", "flake-history", "", "JOB-TOKEN", "job-secret-456",
                   ""};
  EXPECT_NO_THROW(fetch_gitlab_bundle(src, insecure_ok()));
  EXPECT_EQ(gl.header_seen_, "JOB-TOKEN");
}

TEST(GitlabFetch, ErrorsNeverContainTheToken) {
  FakeGitlab gl;
  GitlabSource src{
      gl.url(), "group/sub/proj", "flake-history", "", "PRIVATE-TOKEN", "wrong-secret-789", ""};
  try {
    fetch_gitlab_bundle(src);
    FAIL();
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("HTTP 401"), std::string::npos) << msg;
    EXPECT_NE(msg.find("group/sub/proj"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("wrong-secret-789"), std::string::npos) << msg;
  }
  src.token = "glpat-secret-123";
  src.package = "other-package";
  EXPECT_THROW(fetch_gitlab_bundle(src, insecure_ok()), Error);
}

TEST(UrlFetch, PlainUrl) {
  FakeGitlab gl;
  Fetched f = fetch_url(gl.url() + "/static/bundle.json?sig=abc");
  EXPECT_EQ(f.source, gl.url() + "/static/bundle.json");  // query (may hold a token) dropped
  EXPECT_EQ(parse_bundle(f.body, f.source).runs.size(), 4u);
  EXPECT_THROW(fetch_url(gl.url() + "/missing.json"), Error);
  EXPECT_THROW(fetch_url("ftp://127.0.0.1/x"), Error);
}

}  // namespace
}  // namespace flakegrab::correlate
