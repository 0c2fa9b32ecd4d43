// Re-linking a cached result to the helpers it uses as they are now, without parsing the test
// module: its sites (link_sites.h) are asked again and the records made from their answers
// mended field by field. Whatever this cannot mend exactly is left to a new extraction.
#include <algorithm>
#include <iterator>
#include <set>

#include "grabber/python/link_sites.h"
#include "grabber/python/module_index.h"
#include "grabber/python/summary.h"

namespace flakegrab {

using namespace extractor;

namespace {

// An answer of the same shape: the same marks, in the same order, each the same marker. What
// decides collection (which names are marks at all, which marks act when added) reads only
// these, so the records around them are those an extraction would give.
bool same_shape(const std::vector<MarkCall>& was, const std::vector<MarkCall>& is) {
  if (was.size() != is.size()) return false;
  for (size_t k = 0; k < was.size(); ++k) {
    const MarkCall &a = was[k], &b = is[k];
    if (a.name != b.name || a.is_mark != b.is_mark || a.resolved != b.resolved ||
        a.kind != b.kind || a.line != b.line)
      return false;
  }
  return true;
}

// Mends record `m`, made from `was`, to what `is` would have made. A field the record's maker
// set itself (it differs from what `was` makes) cannot be mended when `is` changes it. A maker
// that puts a value of its own in a mended field (a condition, arguments appended) says so
// (`altered`), which keeps the site out of the cache: a value of its own that happens to equal
// the answer's is never taken for the answer's. Lines, which makers do set (the class's, the
// `def`'s), are never mended: an answer whose line moved is of another shape.
bool mend(const ModuleContext& c, Marker& m, const MarkCall& was, const MarkCall& is) {
  const Marker a = marker_record(c, was, m.test_id, m.scope);
  const Marker b = marker_record(c, is, m.test_id, m.scope);
  bool ok = true;
  auto field = [&](auto Marker::*f) {
    if (a.*f == b.*f) return;
    if (m.*f != a.*f) ok = false;
    m.*f = b.*f;
  };
  field(&Marker::reason), field(&Marker::ticket), field(&Marker::since);
  field(&Marker::condition), field(&Marker::strict), field(&Marker::args);
  field(&Marker::origin), field(&Marker::factory), field(&Marker::factory_args);
  return ok;  // name, kind, resolved and line are the same: same_shape holds
}

}  // namespace

std::optional<FileMarkers> relink_markers(std::string_view rel_path, const FileMarkers& cached,
                                          const ScanConfig& config, const TestNames& names,
                                          ModuleIndex* index) {
  auto decoded = decode_sites(cached.link_sites);
  if (!decoded || decoded->list.empty() || !index) return std::nullopt;
  ModuleIndex::Recorder looked_at;
  std::set<std::string> deps;
  LinkSites scratch;
  ModuleContext c{{}, rel_path, &config, module_of_path(rel_path), {}, {}, {}, {}};
  c.names = &names;
  c.index = index;
  c.deps = &deps;
  c.sites = &scratch;  // notes what each answer reads, and whether it needs the parse

  std::vector<LinkSite> now = decoded->list;
  std::set<std::string> read;
  for (auto& s : now) {
    std::vector<MarkCall> calls = answer_noting(c, s);
    if (scratch.used_self || !same_shape(s.calls, calls)) return std::nullopt;
    s.calls = std::move(calls);
    s.deps.assign(scratch.read.begin(), scratch.read.end());
    read.insert(s.deps.begin(), s.deps.end());
  }
  FileMarkers out = cached;
  for (const auto& [i, tag] : decoded->tags) {
    if (i >= out.markers.size()) return std::nullopt;
    const auto site = static_cast<size_t>(tag.site), item = static_cast<size_t>(tag.item);
    const MarkCall& was = decoded->list[site].calls[item];
    const MarkCall& is = now[site].calls[item];
    if (!(was == is) && !mend(c, out.markers[i], was, is)) return std::nullopt;
  }

  // What the result depends on now: what no site read, as before; what the sites read now;
  // the paths their answers looked at.
  std::set<std::string> hard(cached.dependencies.begin(), cached.dependencies.end());
  for (const auto& key : cached.relinkable) hard.erase(key);
  hard.insert(looked_at.paths.begin(), looked_at.paths.end());
  hard.insert(scratch.outside.begin(), scratch.outside.end());
  hard.erase(std::string(rel_path));
  std::set<std::string> all = hard;
  all.insert(read.begin(), read.end());
  out.dependencies.assign(all.begin(), all.end());
  out.relinkable.clear();
  std::set_difference(read.begin(), read.end(), hard.begin(), hard.end(),
                      std::back_inserter(out.relinkable));
  out.link_sites = encode_sites(DecodedSites{std::move(now), decoded->tags});
  return out;
}

}  // namespace flakegrab
