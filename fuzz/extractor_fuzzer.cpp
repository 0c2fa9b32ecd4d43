// libFuzzer harness: arbitrary bytes through the tree-sitter Python extractor (and the pytest
// config parsers), checking invariants every result must hold, the partial parse against a
// whole one, and that the prefilter and the word pass let every file with a record through. A
// violation aborts, which libFuzzer reports as a crash with the offending input saved.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "grabber/file_checks.h"
#include "grabber/grabber.h"
#include "grabber/prefilter.h"
#include "grabber/python/mark_words.h"
#include "grabber/source_text.h"

namespace {

using namespace flakegrab;

constexpr std::string_view kPath = "tests/unit/test_fuzz.py";

const ScanConfig& config() {
  static const ScanConfig c = [] {
    ScanConfig s = ScanConfig::defaults();
    s.markers["quarantine"] = MarkerKind::custom;  // a registered home-made marker
    return s;
  }();
  return c;
}

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "extractor_fuzzer: invariant violated: %s (%s)\n", what, detail.c_str());
  std::fflush(stderr);
  std::abort();
}

void check(bool ok, const char* what, const Marker& m) {
  if (!ok) fail(what, m.test_id + " line " + std::to_string(m.line) + " " + m.name);
}

void check_marker(const Marker& m, int max_line, bool pipeline_input) {
  check(m.file == kPath, "file is the scanned path", m);
  check(m.test_id == kPath || m.test_id.starts_with(std::string(kPath) + "::"),
        "test_id starts with the file path", m);
  check(m.line >= 1 && m.line <= max_line, "line within the source", m);
  // A name no config covers is a `pytest.mark.NAME` whose NAME says mute (kind custom) or a
  // decorator whose name says mute but that did not resolve (resolved false).
  auto it = config().markers.find(m.name);
  if (it != config().markers.end())
    check(it->second == m.kind || !m.resolved, "kind is the configured kind of the name", m);
  else
    check(m.kind == MarkerKind::custom || !m.resolved,
          "an unconfigured name is a custom mark or an unresolved mute", m);
  check(marker_kind_from_string(to_string(m.kind)) == m.kind, "kind is a known value", m);
  auto scope = static_cast<int>(m.scope);
  check(scope >= 0 && scope <= static_cast<int>(MarkerScope::fixture), "scope is a known value", m);
  // Ineffective also covers marks on a redefined test; fixture marks never count.
  check(m.scope != MarkerScope::fixture || !m.effective, "fixture marks are ineffective", m);
  if (!pipeline_input) return;
  // Files the scan pipeline parses (valid UTF-8, no NUL) end up in a JSON document: every
  // string taken from them must serialise, and the marker must read back (args are a JSON
  // object there, so a keyword written twice collapses: they are left out of the comparison).
  auto j = to_json(m);
  std::string dumped;
  try {
    dumped = j.dump();
  } catch (const std::exception& e) {
    fail("marker serialises to JSON", e.what());
  }
  Marker back = marker_from_json(decltype(j)::parse(dumped));
  back.args = m.args;
  check(back == m, "marker survives a JSON round trip", m);
}

void check_pytest_config(std::string_view file_name, std::string_view contents) {
  std::optional<PytestConfig> cfg;
  try {
    cfg = parse_pytest_config(file_name, contents);
  } catch (const Error&) {
    if (file_name != "pyproject.toml") fail("only TOML reports syntax errors", "");
    return;
  }
  if (!cfg) return;
  if (cfg->source != file_name) fail("config source is the file name", std::string(file_name));
  auto ws = [](char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; };
  for (const auto& name : cfg->registered_markers) {
    if (name.empty() || ws(name.front()) || ws(name.back()) ||
        name.find_first_of(":(") != std::string::npos)
      fail("registered marker is a bare trimmed name", name);
  }
  // List options are shlex words: quoting may give a word with spaces, or an empty one.
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view src(reinterpret_cast<const char*>(data), size);

  // Bad source must never throw; an escaping exception terminates and counts as a crash.
  FileMarkers fm = extract_markers(kPath, src, config());
  // tree-sitter counts rows at '\n' only.
  int max_line = 1;
  for (char ch : src) max_line += ch == '\n';
  // What scans hand the extractor is UTF-8: a file with a coding cookie is decoded first.
  bool pipeline_input = !file_skip_reason(src).has_value() && is_valid_utf8(src);
  SourceText decoded = python_source_text(std::string(src));
  if (!decoded.skip_reason && !is_valid_utf8(decoded.text))
    fail("decoded source is UTF-8", decoded.text.substr(0, 64));
  for (const auto& m : fm.markers) check_marker(m, max_line, pipeline_input);

  // A scan parses only the files the prefilter passes (scan_pipeline.cpp), and the re-export
  // check counts a helper as giving marks only when its code names one (code_names_mark):
  // every record must come from a file that passes both, or one of them loses it.
  static const Prefilter prefilter(config());
  if (pipeline_input && !fm.markers.empty() && !decoded.skip_reason && decoded.text == src &&
      !(prefilter.may_contain_marker(src) && python::code_names_mark(src, config())))
    fail("a file with records passes the prefilter and names a mark in its code",
         fm.markers[0].name);

  // The extractor is a pure function of its input.
  FileMarkers again = extract_markers(kPath, src, config());
  if (again.markers != fm.markers || again.parse_error != fm.parse_error)
    fail("extraction is deterministic", std::to_string(fm.markers.size()) + " vs " +
                                            std::to_string(again.markers.size()) + " markers");

  // Differential: leaving bodies out of the parse (the default) gives the records of a whole
  // parse whenever the whole parse is clean (a syntax error inside a left-out body is the one
  // thing the partial parse does not see, and tree-sitter's recovery around it may differ).
  static const ScanConfig full = [] {
    ScanConfig s = config();
    s.full_parse = true;
    return s;
  }();
  FileMarkers whole = extract_markers(kPath, src, full);
  if (!whole.parse_error && (whole.markers != fm.markers || fm.parse_error))
    fail("a partial parse gives the records of a whole one",
         std::to_string(fm.markers.size()) + " vs " + std::to_string(whole.markers.size()) +
             " markers");

  for (std::string_view name : {"pytest.ini", "setup.cfg", "pyproject.toml"})
    check_pytest_config(name, src);
  return 0;
}
