#include <chrono>
#include <ctime>
#include <map>

#include "grabber/grabber.h"

namespace flakegrab {

using json = nlohmann::ordered_json;

namespace {

template <class T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

template <class T>
std::optional<T> get_opt(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return it->get<T>();
}

}  // namespace

namespace {

// A keyword written twice keeps its first place and its last value, as in a JSON object built
// by assignment.
json args_object(const std::vector<std::pair<std::string, std::string>>& args) {
  json o = json::object();
  for (const auto& [k, v] : args) o[k] = v;
  return o;
}

// A marker's fields in document order, handed to `out.field(name, value)`: the one list both
// to_json and the streamed write_json read.
template <class Out>
void marker_fields(const Marker& m, Out& out) {
  out.field("test_id", m.test_id);
  out.field("file", m.file);
  out.field("line", std::int64_t{m.line});
  out.field("name", m.name);
  out.field("kind", to_string(m.kind));
  out.field("scope", to_string(m.scope));
  out.field("reason", m.reason);
  out.field("ticket", m.ticket);
  out.field("since", m.since);
  out.field("strict", m.strict);
  out.field("condition", m.condition);
  out.field("args", args_object(m.args));
  out.field("effective", m.effective);
  out.field("origin", m.origin);
  out.field("via", m.via);
  out.field("factory", m.factory);
  out.field("factory_args", m.factory ? args_object(m.factory_args) : json(nullptr));
  out.field("resolved", m.resolved);
}

struct Built {
  json j;
  template <class V>
  void field(const char* name, const V& v) {
    j[name] = v;
  }
  template <class V>
  void field(const char* name, const std::optional<V>& v) {
    j[name] = opt(v);
  }
  void field(const char* name, std::string_view v) { j[name] = std::string(v); }
};

// Written as read, no tree built: a scan document has tens of thousands of markers.
struct Streamed {
  JsonWriter& out;
  void field(const char* name, std::string_view v) { out.key(name), out.string(v); }
  void field(const char* name, const std::string& v) { out.key(name), out.string(v); }
  void field(const char* name, std::int64_t v) { out.key(name), out.number(v); }
  void field(const char* name, bool v) { out.key(name), out.boolean(v); }
  void field(const char* name, const json& v) { out.key(name), out.value(v); }
  void field(const char* name, const std::optional<std::string>& v) {
    out.key(name);
    v ? out.string(*v) : out.null();
  }
  void field(const char* name, const std::optional<bool>& v) {
    out.key(name);
    v ? out.boolean(*v) : out.null();
  }
};

}  // namespace

void write_json(JsonWriter& out, const Marker& m,
                const std::vector<std::pair<std::string_view, std::string_view>>& first) {
  out.begin_object();
  for (const auto& [k, v] : first) {
    out.key(k);
    out.string(v);
  }
  Streamed fields{out};
  marker_fields(m, fields);
  out.end();
}

json to_json(const Marker& m) {
  Built b;
  marker_fields(m, b);
  return std::move(b.j);
}

Marker marker_from_json(const json& j) {
  try {
    Marker m;
    m.test_id = j.at("test_id").get<std::string>();
    m.file = j.at("file").get<std::string>();
    m.line = j.at("line").get<int>();
    m.name = j.at("name").get<std::string>();
    auto kind = marker_kind_from_string(j.at("kind").get<std::string>());
    if (!kind) throw Error("marker " + m.test_id + ": unknown kind");
    m.kind = *kind;
    std::string scope = j.at("scope").get<std::string>();
    bool found = false;
    for (auto s : {MarkerScope::function, MarkerScope::klass, MarkerScope::module,
                   MarkerScope::param, MarkerScope::runtime, MarkerScope::fixture}) {
      if (to_string(s) == scope) m.scope = s, found = true;
    }
    if (!found) throw Error("marker " + m.test_id + ": unknown scope '" + scope + "'");
    m.reason = get_opt<std::string>(j, "reason");
    m.ticket = get_opt<std::string>(j, "ticket");
    m.since = get_opt<std::string>(j, "since");
    m.condition = get_opt<std::string>(j, "condition");
    m.strict = get_opt<bool>(j, "strict");
    if (auto it = j.find("args"); it != j.end() && it->is_object()) {
      for (const auto& [k, v] : it->items()) m.args.emplace_back(k, v.get<std::string>());
    }
    m.effective = j.value("effective", true);
    m.origin = get_opt<std::string>(j, "origin");
    m.via = get_opt<std::string>(j, "via");
    m.factory = get_opt<std::string>(j, "factory");
    if (auto it = j.find("factory_args"); it != j.end() && it->is_object()) {
      for (const auto& [k, v] : it->items()) m.factory_args.emplace_back(k, v.get<std::string>());
    }
    m.resolved = j.value("resolved", true);
    return m;
  } catch (const json::exception& e) {
    throw Error(std::string("scan document: bad marker: ") + e.what());
  }
}

namespace {

// The scan document's fields before "markers" and its "stats", shared by to_json and
// write_json so the two cannot drift apart.
json document_head(const ScanResult& r) {
  json doc;
  doc["schema_version"] = 1;
  doc["generator"] = {{"name", "flakegrab"}, {"version", FLAKEGRAB_VERSION}};
  doc["scanned_at"] = r.scanned_at;
  doc["root"] = r.root;
  doc["complete"] = r.complete;
  return doc;
}

json stats_json(const ScanStats& stats) {
  json skipped = json::array();
  std::map<std::string, std::uint64_t> by_reason;
  for (const auto& s : stats.skipped) {
    json entry = {{"file", s.file}, {"reason", s.reason}};
    if (!s.detail.empty()) entry["detail"] = s.detail;
    skipped.push_back(std::move(entry));
    ++by_reason[s.reason];
  }
  return {{"files_seen", stats.files_seen},
          {"files_parsed", stats.files_parsed},
          {"files_cached", stats.files_cached},
          {"files_relinked", stats.files_relinked},
          {"parse_errors", stats.parse_errors},
          {"parse_error_files", stats.parse_error_files},
          {"markers", stats.markers},
          {"skipped", std::move(skipped)},
          {"skipped_by_reason", by_reason},
          {"registered_markers", stats.registered_markers},
          {"custom_markers", stats.custom_markers}};
}

}  // namespace

json to_json(const ScanResult& r) {
  json doc = document_head(r);
  json markers = json::array();
  for (const auto& m : r.markers) markers.push_back(to_json(m));
  doc["markers"] = std::move(markers);
  doc["stats"] = stats_json(r.stats);
  return doc;
}

void write_json(JsonWriter& out, const ScanResult& r, const json& extra) {
  out.begin_object();
  const json head = document_head(r);
  for (const auto& [k, v] : head.items()) {
    out.key(k);
    out.value(v);
  }
  out.key("markers");
  out.begin_array();
  for (const auto& m : r.markers) write_json(out, m);
  out.end();
  out.key("stats");
  out.value(stats_json(r.stats));
  if (extra.is_object())
    for (const auto& [k, v] : extra.items()) {
      out.key(k);
      out.value(v);
    }
  out.end();
}

ScanResult scan_from_json(const json& doc) {
  auto v = doc.find("schema_version");
  if (v == doc.end()) throw Error("scan document: missing schema_version");
  if (!v->is_number_integer() || v->get<int>() != 1)
    throw Error("scan document: unknown schema_version " + v->dump());
  try {
    ScanResult r;
    r.root = doc.value("root", "");
    r.scanned_at = doc.value("scanned_at", "");
    for (const auto& m : doc.at("markers")) r.markers.push_back(marker_from_json(m));
    const json& s = doc.at("stats");
    r.stats.files_seen = s.value("files_seen", std::uint64_t{0});
    r.stats.files_parsed = s.value("files_parsed", std::uint64_t{0});
    r.stats.files_cached = s.value("files_cached", std::uint64_t{0});
    r.stats.files_relinked = s.value("files_relinked", std::uint64_t{0});
    r.stats.parse_errors = s.value("parse_errors", std::uint64_t{0});
    r.stats.parse_error_files = s.value("parse_error_files", std::vector<std::string>{});
    r.stats.markers = s.value("markers", std::uint64_t{r.markers.size()});
    if (auto it = s.find("skipped"); it != s.end())
      for (const auto& k : *it)
        r.stats.skipped.push_back({k.at("file").get<std::string>(),
                                   k.at("reason").get<std::string>(), k.value("detail", "")});
    r.stats.registered_markers = s.value("registered_markers", std::vector<std::string>{});
    r.stats.custom_markers = s.value("custom_markers", std::vector<std::string>{});
    // Documents written before "complete" existed: what their skipped list says.
    auto c = doc.find("complete");
    r.complete = c != doc.end() && c->is_boolean() ? c->get<bool>() : scan_is_complete(r.stats);
    return r;
  } catch (const json::exception& e) {
    throw Error(std::string("scan document: ") + e.what());
  }
}

}  // namespace flakegrab
