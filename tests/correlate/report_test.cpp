#include <gtest/gtest.h>

#include <sstream>

#include "correlate/junit.h"
#include "correlate/report.h"
#include "support/paths.h"

namespace flakegrab::correlate {
namespace {

CorrelateResult fixture_result() {
  auto res = read_junit({(test::fixtures_dir() / "history/junit").string()});
  Marker m;
  m.test_id = "tests/test_checkout.py::test_payment";
  m.file = "tests/test_checkout.py";
  m.line = 11;
  m.name = "xfail";
  m.kind = MarkerKind::xfail;
  m.reason = "DCOS-1, \"quoted\"";
  Marker orphan = m;
  orphan.test_id = "tests/test_checkout.py::test_gone";
  // Loose settings, so three runs can give an unmute (see verdict_test.cpp).
  CorrelateOptions o{"2026-05-22T00:00:00Z", {}, ""};
  o.judge.confidence = 0.3;
  o.judge.max_fail_rate = 0.2;
  return correlate({m, orphan}, history_from_junit(res.reports, {}), o);
}

TEST(Report, NdjsonRowsKeepOneTypePerField) {
  std::istringstream in(render_ndjson(fixture_result()));
  std::map<std::string, nlohmann::json::value_t> types;
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    ++rows;
    for (auto& [k, v] : j.items()) {
      auto t = v.type();
      if (t == nlohmann::json::value_t::number_unsigned)
        t = nlohmann::json::value_t::number_integer;
      auto [it, fresh] = types.try_emplace(k, t);
      // pass_rate is a number in every row (-1 when no signal): float and integer both "number".
      if (!fresh && k != "pass_rate") {
        EXPECT_EQ(it->second, t) << k << " in row " << rows;
      }
      EXPECT_NE(t, nlohmann::json::value_t::null) << k;
    }
  }
  EXPECT_EQ(rows, 10);  // 9 history tests + 1 orphan
}

TEST(Report, CsvHasAHeaderAndQuotesFields) {
  std::string csv = render_csv(fixture_result());
  EXPECT_EQ(csv.rfind("test_id,history_id,verdict,reason,", 0), 0u);
  EXPECT_NE(csv.find("tests/test_checkout.py::test_gone,,orphan,"), std::string::npos);
  // pass_rate, fail_rate_upper (1 - 0.7^(1/3)), fail_rate_lower, runs_needed, runs_required,
  // classification, streak, flip_rate, broken_since_run/_at/_revision, last_status.
  EXPECT_NE(csv.find(",1.0000,0.1121,0.0000,0,0,stable,pass:3,0.0000,,,,pass,"), std::string::npos)
      << csv;
  std::size_t lines = 0;
  for (char c : csv) lines += c == '\n';
  EXPECT_EQ(lines, 11u);
}

TEST(Report, JsonDocumentHasSummaryAndTests) {
  auto j = nlohmann::json::parse(render_json(fixture_result()));
  EXPECT_EQ(j["summary"]["markers_unmatched"], 1);
  EXPECT_EQ(j["summary"]["verdicts"]["unmute"], 1);
  EXPECT_EQ(j["tests"].size(), 10u);
  EXPECT_EQ(j["tests"][0]["markers"].is_array(), true);
}

TEST(Report, MarkdownColumnsAlignByDisplayWidth) {
  std::string md = render_markdown(fixture_result(), false);
  std::istringstream in(md);
  std::string line;
  std::size_t width = 0;
  int table_lines = 0;
  while (std::getline(in, line) && !line.empty()) {
    ++table_lines;
    if (!width) width = display_width(line);
    EXPECT_EQ(display_width(line), width) << line;
  }
  EXPECT_EQ(table_lines, 12);  // header, rule, 10 rows
  EXPECT_NE(md.find("| 05/19 | 05/20 | 05/21 |"), std::string::npos) << md;
  EXPECT_NE(md.find("❌"), std::string::npos);
  EXPECT_NE(md.find("🔁"), std::string::npos);
  EXPECT_NE(md.find("unmute"), std::string::npos);
}

TEST(Report, MarkdownAsciiMarks) {
  std::string md = render_markdown(fixture_result(), true);
  EXPECT_EQ(md.find("✅"), std::string::npos);
  EXPECT_NE(md.find("| P     | F     | P     |"), std::string::npos) << md;
}

TEST(Report, DisplayWidth) {
  EXPECT_EQ(display_width("abc"), 3u);
  EXPECT_EQ(display_width("✅"), 2u);
  EXPECT_EQ(display_width("⚠️"), 2u);
  EXPECT_EQ(display_width("🔁"), 2u);
  EXPECT_EQ(display_width("é"), 1u);
}

}  // namespace
}  // namespace flakegrab::correlate
