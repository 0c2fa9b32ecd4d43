#include "serve/snapshot.h"

#include <cstdio>

#include "base/fnv1a.h"
#include "correlate/time_util.h"
#include "serve/gzip.h"

namespace flakegrab::serve {
namespace {

using nlohmann::ordered_json;

// Bodies this small are sent as they are: gzip would save a packet at most.
constexpr std::size_t kGzipAbove = 1024;

std::string etag_of(const std::string& body) {
  std::uint64_t h = fnv1a64(body);
  char buf[40];
  std::snprintf(buf, sizeof buf, "\"%016llx-%zx\"", static_cast<unsigned long long>(h),
                body.size());
  return buf;
}

bool same_ref(const RefScan& a, const RefScan& failed) {
  if (a.repo != failed.repo) return false;
  if (failed.ref.empty()) return true;  // the whole repository failed
  return a.ref == failed.ref || (!failed.branch.empty() && a.branch == failed.branch);
}

// A missing value is left out of the row: Redash's JSON source types a column from the first
// row where the key appears, so "" would make a date column a string and -1 would count in an
// average.
bool is_missing(const ordered_json& v) {
  return v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty()) ||
         (v.is_number() && v.get<double>() < 0);
}

ordered_json marker_row(const RefScan& s, const Marker& m, const correlate::VerdictRow* verdict) {
  ordered_json row = {{"repo", s.repo},
                      {"branch", s.branch},
                      {"commit", s.commit},
                      {"scanned_at", s.scan->scanned_at},
                      {"test_id", m.test_id},
                      {"file", m.file},
                      {"line", m.line},
                      {"name", m.name},
                      {"kind", std::string(to_string(m.kind))},
                      {"scope", std::string(to_string(m.scope))}};
  if (m.ticket) row["ticket"] = *m.ticket;
  if (m.reason) row["reason"] = *m.reason;
  if (m.since) row["since"] = *m.since;
  if (m.strict) row["strict"] = *m.strict;
  if (m.condition) row["condition"] = *m.condition;
  row["effective"] = m.effective;
  if (!verdict) return row;
  // Verdict columns are correlate's flat row, whatever it holds; a name the marker row
  // already uses gets a "verdict_" prefix.
  const ordered_json flat = correlate::flat_row(*verdict);
  for (const auto& [key, value] : flat.items()) {
    if (key == "test_id" || is_missing(value)) continue;
    row[row.contains(key) ? "verdict_" + key : key] = value;
  }
  for (auto it = row.begin(); it != row.end();)
    it = is_missing(it.value()) ? row.erase(it) : std::next(it);
  return row;
}

Facets marker_facets(const RefScan& s, const Marker& m, const std::string& verdict) {
  Facets f;
  f.repo = s.repo;
  f.branch = s.branch;
  f.test_id = m.test_id;
  f.verdict = verdict;
  f.kinds = {std::string(to_string(m.kind))};
  f.scopes = {std::string(to_string(m.scope))};
  f.files = {m.file};
  if (m.ticket) f.tickets.push_back(*m.ticket);
  return f;
}

Facets verdict_facets(const RefScan& s, const correlate::VerdictRow& r) {
  Facets f;
  f.repo = s.repo;
  f.branch = s.branch;
  f.test_id = r.test_id;
  f.verdict = to_string(r.verdict);
  for (const auto& m : r.markers) {
    f.kinds.emplace_back(to_string(m.kind));
    f.scopes.emplace_back(to_string(m.scope));
    if (m.ticket) f.tickets.push_back(*m.ticket);
    f.files.push_back(m.file);
  }
  return f;
}

Facets per_scan_facets(const RefScan& s) {
  Facets f;
  f.repo = s.repo;
  f.branch = s.branch;
  f.has_markers = false;
  return f;
}

std::string marker_key(const Marker& m) {
  return m.test_id + '\0' + m.file + ':' + std::to_string(m.line) + ':' + m.name;
}

ordered_json summary_row(const RefScan& s, const correlate::CorrelateResult* result) {
  ordered_json row = {{"repo", s.repo},
                      {"branch", s.branch},
                      {"commit", s.commit},
                      {"scanned_at", s.scan->scanned_at}};
  if (!result) {
    std::size_t effective = 0;
    for (const auto& m : s.scan->markers) effective += m.effective;
    row["markers"] = s.scan->markers.size();
    row["markers_effective"] = effective;
    return row;
  }
  const nlohmann::json summary = correlate::summary_to_json(result->summary);
  for (const auto& [key, value] : summary.items()) {
    if (!value.is_object()) {
      row[key] = value;
      continue;
    }
    for (const auto& [verdict, n] : value.items()) row["verdict_" + verdict] = n;
  }
  return row;
}

ordered_json scan_row(const ScanEntry& e) {
  ordered_json row;
  if (e.scan.scan) {
    row = to_json(e.scan);
    row.erase("markers");
  } else {
    row = {{"repo", e.scan.repo}, {"ref", e.scan.ref}};
  }
  row["status"] = e.error.empty() ? "ok" : e.scan.scan ? "stale" : "failed";
  if (!e.error.empty()) row["error"] = e.error;
  return row;
}

void add_bodies(Snapshot& snap, const std::string& path, const Table& t) {
  for (Format f : {Format::json, Format::ndjson, Format::csv}) {
    if (f == Format::csv && !t.csv_ok) continue;
    static const char* names[] = {"json", "ndjson", "csv"};
    snap.bodies[path + " " + names[static_cast<int>(f)]] =
        make_body(t.render_all(f), content_type_of(f));
  }
}

}  // namespace

std::string content_type_of(Format format) {
  switch (format) {
    case Format::ndjson:
      return "application/x-ndjson";
    case Format::csv:
      return "text/csv";
    default:
      return "application/json";
  }
}

Body make_body(std::string plain, std::string content_type) {
  Body b;
  b.etag = etag_of(plain);
  if (plain.size() > kGzipAbove) b.gzip = gzip_compress(plain);
  b.plain = std::move(plain);
  b.content_type = std::move(content_type);
  return b;
}

std::vector<ScanEntry> merge_scans(const std::vector<ScanEntry>& previous,
                                   std::vector<RefScan> fresh) {
  std::vector<ScanEntry> out;
  for (auto& s : fresh) {
    if (s.scan) {
      out.push_back({std::move(s), ""});
      continue;
    }
    std::string error = s.error.value_or("not scanned");
    bool kept = false;
    for (const auto& p : previous) {
      if (!p.scan.scan || !same_ref(p.scan, s)) continue;
      out.push_back({p.scan, error});
      kept = true;
    }
    if (!kept) out.push_back({std::move(s), error});
  }
  return out;
}

Snapshot build_snapshot(std::vector<ScanEntry> entries, const RefreshInput& input,
                        std::time_t now) {
  Snapshot snap;
  snap.has_history = input.history.has_value();
  snap.built_at = now;
  for (const auto& e : entries) {
    snap.scans.add(scan_row(e), per_scan_facets(e.scan));
    snap.repos.insert(e.scan.repo);
    if (!e.scan.scan) continue;
    const RefScan& s = e.scan;
    snap.branches.insert(s.branch);
    std::optional<correlate::CorrelateResult> result;
    std::map<std::string, const correlate::VerdictRow*> by_marker;
    if (input.history) {
      result = correlate::correlate(s.scan->markers, *input.history,
                                    {input.as_of, input.judge, s.branch});
      if (input.annotate) input.annotate(s, *result);
      for (const auto& [verdict, n] : result->summary.verdicts) snap.verdict_names.insert(verdict);
      for (const auto& r : result->rows) {
        ordered_json row = {{"repo", s.repo}, {"branch", s.branch}};
        row.update(correlate::flat_row(r));
        snap.verdicts.add(std::move(row), verdict_facets(s, r));
        ++snap.verdict_counts[std::string(to_string(r.verdict))];
        for (const auto& m : r.markers) by_marker.emplace(marker_key(m), &r);
      }
    }
    for (const auto& m : s.scan->markers) {
      auto it = by_marker.find(marker_key(m));
      const correlate::VerdictRow* v = it == by_marker.end() ? nullptr : it->second;
      snap.markers.add(marker_row(s, m, v),
                       marker_facets(s, m, v ? std::string(to_string(v->verdict)) : ""));
      ++snap.marker_counts[s.repo + '\t' + s.branch + '\t' + std::string(to_string(m.kind))];
    }
    snap.summary.add(summary_row(s, result ? &*result : nullptr), per_scan_facets(s));
  }
  for (Table* t : {&snap.markers, &snap.verdicts, &snap.summary, &snap.scans}) t->finish();
  add_bodies(snap, "/markers", snap.markers);
  add_bodies(snap, "/verdicts", snap.verdicts);
  add_bodies(snap, "/summary", snap.summary);
  add_bodies(snap, "/scans", snap.scans);
  std::vector<std::size_t> all(snap.markers.rows.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  snap.bodies["/redash json"] = make_body(snap.markers.render_redash(all), "application/json");
  snap.bodies["/markers envelope"] =
      make_body(R"({"rows":)" + snap.markers.render_all(Format::json) + R"(,"_links":{}})",
                "application/json");
  snap.entries = std::move(entries);
  return snap;
}

}  // namespace flakegrab::serve
