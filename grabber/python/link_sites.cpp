#include "grabber/python/link_sites.h"

#include <algorithm>

#include "grabber/python/summary.h"

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

std::vector<MarkCall> answer_noting(const ModuleContext& c, const LinkSite& site) {
  LinkSites& s = *c.sites;
  s.open = true;
  s.used_self = false;
  s.read.clear();
  std::vector<MarkCall> calls = answer(c, site);
  s.open = false;
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
  std::vector<MarkCall> calls = answer_noting(c, site);
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

}  // namespace flakegrab::extractor
