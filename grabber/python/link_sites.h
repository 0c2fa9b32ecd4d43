#pragma once
// The link step's questions a test module asked, with their answers, kept beside its records:
// when a helper it uses changes, only the questions are asked again and the records made from
// the answers are mended (relink.cpp). The test module is not parsed again.
//
// A question is a site when its answer depends on another module. A record made from an answer
// carries the site's LinkTag. An answer the caller alters (a condition of its own, arguments
// appended) is not mended: its site is dropped, and what it read becomes a plain dependency.
//
// An `expr` site keeps the summarized expression as it was. It is asked again only while the
// module it is written in still reads the same: the class, list or fixture holding it was found
// outside any site (link_class, link_params, the conftest.py files), so it is a plain
// dependency, and a change to it extracts the file again.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "grabber/python/internals.h"
#include "grabber/python/summary.h"

namespace flakegrab::extractor {

struct LinkSite {
  // query: linked_marks; expr: link_expr of a summarized expression; mute: unresolved_mute.
  enum Kind : std::uint8_t { query, expr, mute } kind = query;
  std::string callee;
  bool called = false;
  std::vector<Arg> args;
  int line = 0;                   // query, mute: the use's line; expr: the expression's
  int element = -1;               // expr: MarkExpr::element
  std::string from;               // expr, mute: the module the expression is written in
  int line_at = 0;                // expr: the line every answer takes, when the caller gives one
  std::vector<MarkCall> calls;    // the answer
  std::vector<std::string> deps;  // the symbol keys it read
};

struct LinkSites {
  std::vector<LinkSite> list;
  std::set<int> altered;             // sites an answer of which a caller changed
  std::set<std::string> outside;     // keys read while no site was asked
  std::map<std::string, int> asked;  // a question's text -> its site: asked once a file
  // While a site is asked:
  bool open = false;
  bool used_self = false;  // it read the test module's own summary
  std::set<std::string> read;
};

// Asks `site` (its calls empty): records it in c.sites when no site is open and the answer
// depends on another module, each call of the answer tagged with it.
std::vector<MarkCall> ask(const ModuleContext& c, LinkSite site);
// link_expr(c, e, from) asked as a site; `line_at`, when given, the line of every answer.
std::vector<MarkCall> ask_expr(const ModuleContext& c, const MarkExpr& e, const std::string& from,
                               int line_at = 0);
// The answer to `site`, not recorded.
std::vector<MarkCall> answer(const ModuleContext& c, const LinkSite& site);
// The same, with c.sites (not null) noting what it reads: its `read` and `used_self` say it.
std::vector<MarkCall> answer_noting(const ModuleContext& c, const LinkSite& site);
// Says that a caller changed `k` (an answer) before making a record of it.
void altered(const ModuleContext& c, const MarkCall& k);
// A dependency key the link step read (c.deps), noted for the site asked, if any.
void record_dep(const ModuleContext& c, const std::string& key);
// Notes that the link step read the test module's own summary.
void used_self(const ModuleContext& c);

// The sites kept with a file's records: those not altered, renumbered, and the tags of
// `markers` (by index). `relinkable` gets the keys only those sites read.
std::string encode_sites(const LinkSites& sites, std::vector<Marker>& markers,
                         std::vector<std::string>& relinkable);
struct DecodedSites {
  std::vector<LinkSite> list;
  std::vector<std::pair<std::size_t, LinkTag>> tags;  // marker index, its tag
};
// Their binary form (summary_records.cpp).
std::optional<DecodedSites> decode_sites(std::string_view bytes);
std::string encode_sites(const DecodedSites& sites);

}  // namespace flakegrab::extractor
