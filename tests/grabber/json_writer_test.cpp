// The streamed scan documents are byte for byte what nlohmann's dump() prints of the documents
// built whole (the writer that `dump` and `scan` used before streaming).
#include <gtest/gtest.h>

#include <sstream>

#include "grabber/grabber.h"
#include "grabber/repo.h"
#include "support/paths.h"

namespace flakegrab {
namespace {

using json = nlohmann::ordered_json;

std::string streamed(const ScanResult& r, int indent) {
  std::ostringstream s;
  JsonWriter out(s, indent);
  write_json(out, r);
  return s.str();
}

// Odd strings and every optional field set and unset.
ScanResult odd_scan() {
  ScanResult r;
  r.root = "/repo \"quoted\"";
  r.scanned_at = "2026-01-01T00:00:00Z";
  r.complete = false;
  Marker a;
  a.test_id = "tests/test_a.py::TestX::test_y[\xc3\xa9\\t\n]";
  a.file = "tests/test_a.py";
  a.line = 12;
  a.name = "xfailflake";
  a.kind = MarkerKind::xfail;
  a.reason = "tab\there \x01 \"q\" \xe2\x9c\x93";
  a.strict = true;
  a.condition = "sys.platform == 'win32'";
  // A keyword written twice: the object keeps the first place and the last value.
  a.args = {{"0", "cond"}, {"reason", "'a'"}, {"0", "again"}};
  a.origin = "pkg/deco.py:3";
  a.via = "tests/test_a.py::Base";
  a.factory = "pkg.skip_if";
  a.factory_args = {};
  r.markers.push_back(a);
  Marker b;
  b.test_id = "tests/test_b.py::test_z";
  b.file = "tests/test_b.py";
  b.name = "skip";
  b.kind = MarkerKind::skip;
  b.scope = MarkerScope::module;
  b.effective = false;
  b.resolved = false;
  b.factory = "f";
  b.factory_args = {{"x", "1"}};
  r.markers.push_back(b);
  r.stats.files_seen = 3;
  r.stats.markers = 2;
  r.stats.parse_error_files = {"tests/bad.py"};
  r.stats.skipped.push_back({"tests/test_bin.py", "binary", ""});
  r.stats.skipped.push_back({"tests/test_gone.py", "unreadable", "no such blob"});
  r.stats.registered_markers = {"slow"};
  return r;
}

TEST(JsonWriter, AScanIsWhatDumpPrints) {
  for (const ScanResult& r : {odd_scan(), ScanResult{}}) {
    for (int indent : {-1, 0, 2, 4}) {
      SCOPED_TRACE(indent);
      EXPECT_EQ(streamed(r, indent), to_json(r).dump(indent));
    }
  }
}

TEST(JsonWriter, AScanOfTheGoldenCasesIsWhatDumpPrints) {
  ScanResult r = scan_directory(test::source_dir() / "tests" / "cases", ScanConfig::defaults(), 1);
  ASSERT_GT(r.markers.size(), 100u);
  EXPECT_EQ(streamed(r, -1), to_json(r).dump(-1));
  EXPECT_EQ(streamed(r, 2), to_json(r).dump(2));
}

TEST(JsonWriter, NestedDocumentsAreWhatDumpPrints) {
  RefScan ok;
  ok.repo = "file:///r";
  ok.ref = ok.branch = "main";
  ok.commit = std::string(40, 'a');
  ok.scan = odd_scan();
  RefScan failed;
  failed.repo = "file:///r";
  failed.ref = "gone";
  failed.error = "no such ref";
  // The layout `dump` prints for several refs: scans nested two levels down.
  for (int indent : {-1, 2}) {
    SCOPED_TRACE(indent);
    json doc;
    doc["schema_version"] = 1;
    doc["scans"] = json::array({to_json(ok), to_json(failed), to_json(ok)});
    doc["failed"] = json::array();
    doc["empty"] = json::object();
    std::ostringstream s;
    JsonWriter out(s, indent);
    out.begin_object();
    out.key("schema_version");
    out.value(1);
    out.key("scans");
    out.begin_array();
    write_json(out, ok);
    write_json(out, failed);
    write_json(out, ok);
    out.end();
    out.key("failed");
    out.begin_array();
    out.end();
    out.key("empty");
    out.begin_object();
    out.end();
    out.end();
    EXPECT_EQ(s.str(), doc.dump(indent));
  }
}

// `dump --format ndjson`: one compact line per marker, where it was found first, as the
// document built whole for each line (the command's output before it was streamed).
TEST(JsonWriter, NdjsonLinesAreWhatDumpPrints) {
  RefScan ok;
  ok.repo = "file:///r \"q\"";
  ok.branch = "main";
  ok.commit = std::string(40, 'a');
  ok.scan = odd_scan();
  std::string want;
  for (const auto& m : ok.scan->markers) {
    json j = {{"repo", ok.repo}, {"branch", ok.branch}, {"commit", ok.commit}};
    j.update(to_json(m));
    want += j.dump() + "\n";
  }
  std::ostringstream s;
  write_ndjson(s, ok);
  EXPECT_EQ(s.str(), want);
  RefScan failed;
  failed.error = "no such ref";
  std::ostringstream none;
  write_ndjson(none, failed);
  EXPECT_EQ(none.str(), "");
}

}  // namespace
}  // namespace flakegrab
