#include <gtest/gtest.h>

#include "base/iso8601.h"
#include "grabber/grabber.h"

namespace flakegrab {
namespace {

TEST(ScanJson, RoundTripsAScan) {
  ScanResult r;
  r.root = "/repo";
  r.scanned_at = "2026-01-01T00:00:00Z";
  Marker m;
  m.test_id = "tests/test_a.py::TestX::test_y";
  m.file = "tests/test_a.py";
  m.line = 12;
  m.name = "xfailflake";
  m.kind = MarkerKind::xfail;
  m.reason = "slow agents";
  m.ticket = "DCOS-123";
  m.since = "2019-01-25";
  m.strict = false;
  m.args = {{"jira", "'DCOS-123'"}};
  r.markers.push_back(m);
  r.stats.files_seen = 3;
  r.stats.markers = 1;
  r.stats.skipped.push_back({"tests/test_bin.py", "binary"});
  nlohmann::json j = to_json(r);
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["markers"][0]["kind"], "xfail");
  EXPECT_TRUE(j["markers"][0]["condition"].is_null());
  EXPECT_EQ(j["markers"][0]["args"]["jira"], "'DCOS-123'");
  EXPECT_EQ(j["stats"]["skipped_by_reason"]["binary"], 1);
  ScanResult back = scan_from_json(nlohmann::json::parse(j.dump()));
  EXPECT_EQ(back.markers, r.markers);
  EXPECT_EQ(back.stats.skipped, r.stats.skipped);
  EXPECT_EQ(back.stats.files_seen, 3u);
}

TEST(ScanJson, RejectsUnknownSchema) {
  EXPECT_THROW(scan_from_json(nlohmann::json::object()), Error);
  try {
    scan_from_json({{"schema_version", 7}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("schema_version"), std::string::npos);
  }
}

TEST(ScanJson, UtcNowIsIso8601) {
  std::string t = utc_now_iso8601();
  ASSERT_EQ(t.size(), 20u);
  EXPECT_EQ(t[10], 'T');
  EXPECT_EQ(t.back(), 'Z');
}

}  // namespace
}  // namespace flakegrab
