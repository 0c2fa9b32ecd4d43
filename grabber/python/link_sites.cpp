#include "grabber/python/link_sites.h"

#include <algorithm>

#include "grabber/python/summary.h"
#include "grabber/scan_records.h"

namespace flakegrab::extractor {

std::vector<MarkCall> answer(const ModuleContext& c, const LinkSite& s) {
  std::vector<MarkCall> calls;
  switch (s.kind) {
    case LinkSite::query:
      calls = link_marks(c, s.callee, s.called, s.args);
      for (auto& k : calls) k.line = s.line;
      break;
    case LinkSite::expr: {
      MarkExpr e;
      e.callee = s.callee, e.called = s.called, e.args = s.args, e.line = s.line;
      e.element = s.element;
      calls = link_expr(c, e, s.from);
      if (s.line_at)
        for (auto& k : calls) k.line = s.line_at;
      break;
    }
    case LinkSite::mute:
      if (auto u = unresolved_mute(c, s.callee, s.from, s.called, s.args, s.line))
        calls.push_back(std::move(*u));
      break;
  }
  return calls;
}

namespace {

// The question `site` asks, as text: equal questions have equal answers within a scan.
std::string question(const LinkSite& s) {
  std::string q = std::to_string(s.kind) + '\0' + s.callee + '\0' + std::to_string(s.called) +
                  '\0' + std::to_string(s.line) + '\0' + std::to_string(s.element) + '\0' + s.from +
                  '\0' + std::to_string(s.line_at);
  for (const auto& a : s.args) q += '\0' + a.key + '\0' + a.text + '\0' + a.str.value_or("\1");
  return q;
}

}  // namespace

std::vector<MarkCall> ask(const ModuleContext& c, LinkSite site) {
  LinkSites* s = c.sites;
  if (!s || s->open) return answer(c, site);
  // A fixture's marks are asked for each test that uses it: one site serves them all.
  std::string q = question(site);
  if (auto it = s->asked.find(q); it != s->asked.end())
    return s->list[static_cast<size_t>(it->second)].calls;
  s->open = true;
  s->used_self = false;
  s->read.clear();
  std::vector<MarkCall> calls = answer(c, site);
  s->open = false;
  // An answer read from the module's own summary needs its parse to be asked again; one that
  // read nothing of another module cannot change while the file does not.
  if (s->used_self) s->outside.insert(s->read.begin(), s->read.end());
  if (s->used_self || s->read.empty()) return calls;
  const int id = static_cast<int>(s->list.size());
  for (size_t k = 0; k < calls.size(); ++k) calls[k].link = {id, static_cast<int>(k)};
  site.calls = calls;
  site.deps.assign(s->read.begin(), s->read.end());
  s->list.push_back(std::move(site));
  s->asked.emplace(std::move(q), id);
  return calls;
}

std::vector<MarkCall> ask_expr(const ModuleContext& c, const MarkExpr& e, const std::string& from,
                               int line_at) {
  LinkSite site;
  site.kind = LinkSite::expr, site.callee = e.callee, site.called = e.called, site.args = e.args;
  site.line = e.line, site.element = e.element, site.from = from, site.line_at = line_at;
  return ask(c, std::move(site));
}

void altered(const ModuleContext& c, const MarkCall& k) {
  if (c.sites && k.link.site >= 0) c.sites->altered.insert(k.link.site);
}

void record_dep(const ModuleContext& c, const std::string& key) {
  if (c.deps) c.deps->insert(key);
  if (c.sites) (c.sites->open ? c.sites->read : c.sites->outside).insert(key);
}

void used_self(const ModuleContext& c) {
  if (c.sites) c.sites->used_self = true;
}

namespace {

using records::Reader;
using records::Writer;

constexpr std::uint64_t kSitesFormat = 1;

void put(Writer& w, const std::vector<Arg>& args) {
  w.number(args.size());
  for (const auto& a : args) w.string(a.key), w.string(a.text), w.optional(a.str);
}

void put(Writer& w, const MarkCall& k) {
  w.string(k.name), w.number(k.is_mark), put(w, k.args);
  w.number(static_cast<std::uint64_t>(k.line)), w.optional(k.origin), w.optional(k.factory);
  w.number(k.factory_args.size());
  for (const auto& [key, v] : k.factory_args) w.string(key), w.string(v);
  w.number(k.resolved), w.number(k.kind ? 1 + static_cast<std::uint64_t>(*k.kind) : 0);
  w.optional(k.guard);
}

void put(Writer& w, const LinkSite& s) {
  w.number(s.kind), w.string(s.callee), w.number(s.called), put(w, s.args);
  w.number(static_cast<std::uint64_t>(s.line)), w.number(static_cast<std::uint64_t>(s.element + 1));
  w.string(s.from), w.number(static_cast<std::uint64_t>(s.line_at));
  w.number(s.calls.size());
  for (const auto& k : s.calls) put(w, k);
  w.strings(s.deps);
}

class In {
 public:
  explicit In(std::string_view bytes) : r_(bytes), limit_(bytes.size()) {}
  std::uint64_t below(std::uint64_t end) {
    std::uint64_t n = r_.number();
    if (n >= end) throw records::Corrupt("link sites: a value out of range");
    return n;
  }
  std::uint64_t count() { return below(limit_ + 1); }  // each item takes a byte at least
  int line() { return static_cast<int>(below(1u << 31)); }
  bool flag() { return below(2) != 0; }
  std::vector<Arg> args() {
    std::vector<Arg> v(count());
    for (auto& a : v) a.key = r_.string(), a.text = r_.string(), a.str = r_.optional();
    return v;
  }
  MarkCall call() {
    MarkCall k;
    k.name = r_.string(), k.is_mark = flag(), k.args = args(), k.line = line();
    k.origin = r_.optional(), k.factory = r_.optional();
    for (std::uint64_t n = count(); n > 0; --n) {
      std::string key = r_.string();
      k.factory_args.emplace_back(std::move(key), r_.string());
    }
    k.resolved = flag();
    if (std::uint64_t kind = below(6)) k.kind = static_cast<MarkerKind>(kind - 1);
    k.guard = r_.optional();
    return k;
  }
  LinkSite site() {
    LinkSite s;
    s.kind = static_cast<LinkSite::Kind>(below(3));
    s.callee = r_.string(), s.called = flag(), s.args = args(), s.line = line();
    s.element = line() - 1, s.from = r_.string(), s.line_at = line();
    s.calls.resize(count());
    for (auto& k : s.calls) k = call();
    s.deps = r_.strings();
    return s;
  }
  bool done() const { return r_.done(); }

 private:
  Reader r_;
  std::uint64_t limit_;
};

}  // namespace

std::string encode_sites(const DecodedSites& sites) {
  if (sites.list.empty()) return {};
  Writer w;
  w.number(kSitesFormat);
  w.number(sites.list.size());
  for (const auto& s : sites.list) put(w, s);
  w.number(sites.tags.size());
  for (const auto& [i, tag] : sites.tags)
    w.number(i), w.number(static_cast<std::uint64_t>(tag.site)),
        w.number(static_cast<std::uint64_t>(tag.item));
  return std::move(w.bytes());
}

std::string encode_sites(const LinkSites& sites, std::vector<Marker>& markers,
                         std::vector<std::string>& relinkable) {
  DecodedSites kept;
  std::vector<int> renumbered(sites.list.size(), -1);
  std::set<std::string> read, hard = sites.outside;
  for (size_t i = 0; i < sites.list.size(); ++i) {
    const LinkSite& s = sites.list[i];
    if (sites.altered.count(static_cast<int>(i))) {
      hard.insert(s.deps.begin(), s.deps.end());
      continue;
    }
    renumbered[i] = static_cast<int>(kept.list.size());
    kept.list.push_back(s);
    read.insert(s.deps.begin(), s.deps.end());
  }
  for (size_t i = 0; i < markers.size(); ++i) {
    LinkTag& t = markers[i].link;
    if (t.site >= 0 && renumbered[static_cast<size_t>(t.site)] >= 0)
      kept.tags.emplace_back(i, LinkTag{renumbered[static_cast<size_t>(t.site)], t.item});
    t = {};
  }
  relinkable.clear();
  std::set_difference(read.begin(), read.end(), hard.begin(), hard.end(),
                      std::back_inserter(relinkable));
  return encode_sites(kept);
}

std::optional<DecodedSites> decode_sites(std::string_view bytes) {
  if (bytes.empty()) return DecodedSites{};
  try {
    In in(bytes);
    if (in.below(kSitesFormat + 1) != kSitesFormat) return std::nullopt;
    DecodedSites d;
    d.list.resize(in.count());
    for (auto& s : d.list) s = in.site();
    for (std::uint64_t n = in.count(); n > 0; --n) {
      std::size_t i = static_cast<std::size_t>(in.line());  // a marker's index
      int site = static_cast<int>(in.below(d.list.size()));
      int item = static_cast<int>(in.below(d.list[static_cast<size_t>(site)].calls.size()));
      d.tags.emplace_back(i, LinkTag{site, item});
    }
    if (!in.done()) return std::nullopt;
    return d;
  } catch (const records::Corrupt&) {
    return std::nullopt;
  }
}

}  // namespace flakegrab::extractor
