// The caches' binary records: what is written reads back the same, and bytes that are not a
// whole record (torn, another layout) are refused, never read as something else.
#include <gtest/gtest.h>

#include "grabber/scan_records.h"

namespace flakegrab {
namespace {

ScanResult sample() {
  ScanResult r;
  r.root = "/repo";
  r.scanned_at = "2026-01-01T00:00:00Z";
  r.complete = false;
  for (int i = 0; i < 3; ++i) {
    Marker m;
    m.file = "tests/test_a.py";
    m.test_id = m.file + "::TestX::test_" + std::to_string(i) + "[a::b]";
    m.line = 10 + i;
    m.name = "skipif";
    m.kind = MarkerKind::skipif;
    m.scope = MarkerScope::klass;
    m.reason = "same reason";
    m.condition = "sys.platform == 'win32'";
    m.strict = i == 1;
    m.args = {{"0", "cond"}, {"0", "twice"}};
    m.effective = i != 2;
    m.resolved = i != 0;
    m.origin = "tests/support.py:3";
    r.markers.push_back(m);
  }
  Marker odd;
  odd.file = "a.py";
  odd.test_id = "elsewhere.py::test_x";  // not under its file: stored whole
  odd.kind = MarkerKind::custom;
  odd.scope = MarkerScope::fixture;
  odd.ticket = "";
  odd.since = "2019";
  odd.via = "a.py::Base";
  odd.factory = "pkg.skip_if";
  odd.factory_args = {{"reason", "'x'"}};
  r.markers.push_back(odd);
  Marker bare;
  bare.file = "b.py";
  bare.test_id = "b.py::";
  r.markers.push_back(bare);
  r.stats.files_seen = 7;
  r.stats.files_parsed = 5;
  r.stats.files_cached = 2;
  r.stats.parse_errors = 1;
  r.stats.parse_error_files = {"bad.py"};
  r.stats.markers = 5;
  r.stats.skipped = {{"x.bin", "binary", ""}, {"y.py", "unreadable", "object missing"}};
  r.stats.registered_markers = {"slow", "net"};
  r.stats.custom_markers = {"net"};
  return r;
}

TEST(ScanRecords, AScanReadsBackTheSame) {
  ScanResult r = sample();
  ScanResult back = records::decode_scan(records::encode_scan(r));
  EXPECT_EQ(back.markers, r.markers);
  EXPECT_EQ(back.root, r.root);
  EXPECT_EQ(back.scanned_at, r.scanned_at);
  EXPECT_EQ(back.complete, r.complete);
  EXPECT_EQ(to_json(back).dump(), to_json(r).dump());
  EXPECT_EQ(back.stats.skipped[1].detail, "object missing");
}

TEST(ScanRecords, RepeatedStringsAreWrittenOnce) {
  std::string bytes = records::encode_scan(sample());
  auto count = [&](std::string_view s) {
    std::size_t n = 0;
    for (auto at = bytes.find(s); at != std::string::npos; at = bytes.find(s, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("sys.platform == 'win32'"), 1u);
  EXPECT_EQ(count("tests/test_a.py"), 1u);
  EXPECT_EQ(count("TestX"), 1u);
}

TEST(ScanRecords, ATornOrForeignRecordIsRefused) {
  std::string bytes = records::encode_scan(sample());
  for (std::size_t n = 0; n < bytes.size(); ++n)
    EXPECT_THROW(records::decode_scan(std::string_view(bytes).substr(0, n)), records::Corrupt) << n;
  EXPECT_THROW(records::decode_scan(bytes + "x"), records::Corrupt);
  // What older builds wrote there: a msgpack document.
  auto msgpack = nlohmann::ordered_json::to_msgpack(to_json(sample()));
  EXPECT_THROW(records::decode_scan(std::string(msgpack.begin(), msgpack.end())), records::Corrupt);
  // Flipped bytes either decode to something or are refused; they never read out of bounds.
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::string damaged = bytes;
    damaged[i] = static_cast<char>(damaged[i] ^ 0xa5);
    try {
      records::decode_scan(damaged);
    } catch (const records::Corrupt&) {
    }
  }
}

}  // namespace
}  // namespace flakegrab
