#include <glob.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstring>
#include <future>
#include <optional>
#include <set>
#include <thread>

#include <pugixml.hpp>

#include "base/error.h"
#include "base/read_file.h"
#include "correlate/junit.h"
#include "correlate/time_util.h"

namespace flakegrab::correlate {
namespace {

bool contains_ci(std::string_view hay, std::string_view needle) {
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                        [](char a, char b) { return std::tolower(a) == std::tolower(b); });
  return it != hay.end();
}

JunitCase read_case(const pugi::xml_node& tc) {
  JunitCase c;
  c.classname = tc.attribute("classname").as_string();
  c.name = tc.attribute("name").as_string();
  c.file = tc.attribute("file").as_string();
  c.time = tc.attribute("time").as_double(0);
  bool failed = false, errored = false, skipped = false, xfailed = false, xpassed = false;
  for (auto child : tc.children()) {
    std::string_view tag = child.name();
    std::string_view type = child.attribute("type").as_string();
    std::string_view message = child.attribute("message").as_string();
    if (tag == "failure") {
      // A strict XPASS is reported as a failure, but the test body passed.
      if (contains_ci(message, "XPASS(strict)") ||
          contains_ci(child.text().as_string(), "XPASS(strict)") ||
          contains_ci(type, "UnexpectedSuccess")) {
        xpassed = true;
      } else {
        failed = true;
      }
    } else if (tag == "error") {
      errored = true;
    } else if (tag == "skipped") {
      // pytest marks an xfail as skipped with type pytest.xfail; xmlrunner says "expected failure".
      if (contains_ci(type, "xfail") || contains_ci(message, "expected failure")) {
        xfailed = true;
      } else {
        skipped = true;
      }
    } else if (tag == "rerun" || tag == "flakyFailure" || tag == "flakyError" ||
               tag == "rerunFailure" || tag == "rerunError") {
      ++c.reruns;
    }
  }
  if (errored) {
    c.outcome = Outcome::error;
  } else if (failed) {
    c.outcome = Outcome::fail;
  } else if (xfailed) {
    c.outcome = Outcome::xfail;
  } else if (xpassed) {
    c.outcome = Outcome::xpass;
  } else if (skipped) {
    c.outcome = Outcome::skip;
  } else {
    c.outcome = c.reruns > 0 ? Outcome::flaky : Outcome::pass;
  }
  return c;
}

// The attributes a report takes from its first <testsuite> that has them.
void read_suite_attributes(const pugi::xml_node& suite, JunitReport& r) {
  if (r.suite.empty()) {
    r.suite = suite.attribute("name").as_string();
    // unittest-xmlrunner appends the run's time: "pkg.TestX-20260519080000".
    auto dash = r.suite.rfind('-');
    if (dash != std::string::npos && r.suite.size() - dash == 15 &&
        r.suite.find_first_not_of("0123456789", dash + 1) == std::string::npos)
      r.suite.resize(dash);
  }
  if (r.timestamp.empty()) {
    if (auto ts = normalize_iso8601(suite.attribute("timestamp").as_string())) r.timestamp = *ts;
  }
  if (r.hostname.empty()) r.hostname = suite.attribute("hostname").as_string();
  for (auto p : suite.child("properties").children("property")) {
    std::string_view name = p.attribute("name").as_string();
    std::string value = p.attribute("value").as_string();
    if (name == "source_branch" || name == "branch" || name == "git_branch") {
      if (r.branch.empty()) r.branch = value;
    } else if (name == "source_revision" || name == "revision" || name == "commit" ||
               name == "git_commit") {
      if (r.revision.empty()) r.revision = value;
    }
  }
  if (auto t = suite.attribute("time"); t) r.time = std::max(0.0, r.time) + t.as_double(0);
}

// Nested suites (xmlrunner, some CI tools) are walked with an explicit stack, in document
// order: a report nested 20k deep must not exhaust the call stack.
void read_suite(const pugi::xml_node& root, JunitReport& r) {
  read_suite_attributes(root, r);
  std::vector<pugi::xml_node> next{root.first_child()};
  while (!next.empty()) {
    pugi::xml_node child = next.back();
    if (!child) {
      next.pop_back();
      continue;
    }
    next.back() = child.next_sibling();
    std::string_view tag = child.name();
    if (tag == "testcase") {
      if (child.attribute("name").as_string()[0] == '\0') {
        r.warnings.push_back(r.path + ": <testcase> at offset " +
                             std::to_string(child.offset_debug()) +
                             " has no name attribute (skipped)");
        continue;
      }
      r.cases.push_back(read_case(child));
    } else if (tag == "testsuite") {
      read_suite_attributes(child, r);
      next.push_back(child.first_child());
    }
  }
}

bool has_glob_chars(const std::string& s) {
  return s.find_first_of("*?[") != std::string::npos;
}

}  // namespace

JunitReport parse_junit(std::string_view xml, const std::string& path) {
  pugi::xml_document doc;
  auto res = doc.load_buffer(xml.data(), xml.size());
  if (!res)
    throw Error(path + ": malformed XML at offset " + std::to_string(res.offset) + ": " +
                res.description());
  JunitReport r;
  r.path = path;
  auto root = doc.document_element();
  std::string_view tag = root.name();
  if (tag == "testsuite") {
    read_suite(root, r);
  } else if (tag == "testsuites") {
    for (auto s : root.children("testsuite")) read_suite(s, r);
  } else {
    throw Error(path + ": not a JUnit report (root element <" + std::string(tag) + ">)");
  }
  return r;
}

JunitReadResult read_junit(const std::vector<std::string>& inputs, unsigned threads) {
  JunitReadResult out;
  std::vector<std::string> files;
  auto add_dir = [&](const std::string& dir) {
    std::vector<std::string> found;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec) && it->path().extension() == ".xml")
        found.push_back(it->path().string());
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
    return !found.empty();
  };
  for (const auto& in : inputs) {
    std::error_code ec;
    if (std::filesystem::is_directory(in, ec)) {
      if (!add_dir(in)) {
        out.warnings.push_back(in + ": no *.xml reports below this directory");
        ++out.missing;
      }
    } else if (std::filesystem::is_regular_file(in, ec)) {
      files.push_back(in);
    } else if (has_glob_chars(in)) {
      glob_t g{};
      if (glob(in.c_str(), 0, nullptr, &g) == 0) {
        for (std::size_t i = 0; i < g.gl_pathc; ++i) {
          if (std::filesystem::is_directory(g.gl_pathv[i], ec)) {
            add_dir(g.gl_pathv[i]);
          } else {
            files.push_back(g.gl_pathv[i]);
          }
        }
      } else {
        out.warnings.push_back(in + ": glob matched no files");
        ++out.missing;
      }
      globfree(&g);
    } else {
      out.warnings.push_back(in + ": no such file or directory");
      ++out.missing;
    }
  }
  // The same report named twice (a directory and a glob) is one report.
  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (auto& f : files) {
    std::error_code ec;
    auto canon = std::filesystem::weakly_canonical(f, ec).string();
    if (seen.insert(ec ? f : canon).second) unique.push_back(f);
  }
  files = std::move(unique);

  // Parse in parallel: each worker takes the next index; results land in input order.
  std::vector<std::optional<JunitReport>> parsed(files.size());
  std::vector<std::string> errors(files.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < files.size(); i = next++) {
      try {
        parsed[i] = parse_junit(read_whole_file(files[i]), files[i]);
      } catch (const Error& e) {
        errors[i] = e.what();
      }
    }
  };
  unsigned n = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  n = std::min<unsigned>(n, static_cast<unsigned>(std::max<std::size_t>(1, files.size())));
  std::vector<std::future<void>> pool;
  for (unsigned i = 0; i < n; ++i) pool.push_back(std::async(std::launch::async, worker));
  for (auto& f : pool) f.get();
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (parsed[i]) {
      for (auto& w : parsed[i]->warnings) out.warnings.push_back(std::move(w));
      parsed[i]->warnings.clear();
      out.reports.push_back(std::move(*parsed[i]));
    } else {
      out.warnings.push_back(errors[i] + " (skipped)");
      ++out.malformed;
    }
  }
  return out;
}

}  // namespace flakegrab::correlate
