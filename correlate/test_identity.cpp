#include "correlate/test_identity.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <tuple>

namespace flakegrab::correlate {
namespace {

// Splits "a.b.c[x.y]" into components on '.' outside the parametrize id.
std::vector<std::string> components(std::string_view dotted) {
  std::vector<std::string> out;
  auto bracket = dotted.find('[');
  std::string_view head = dotted.substr(0, bracket);
  std::string_view tail = bracket == std::string_view::npos ? "" : dotted.substr(bracket);
  std::size_t start = 0;
  while (true) {
    auto dot = head.find('.', start);
    if (dot == std::string_view::npos) {
      out.emplace_back(head.substr(start));
      break;
    }
    out.emplace_back(head.substr(start, dot - start));
    start = dot + 1;
  }
  out.back() += tail;
  return out;
}

std::string join_from(const std::vector<std::string>& parts, std::size_t from) {
  std::string s;
  for (std::size_t i = from; i < parts.size(); ++i) {
    if (!s.empty()) s += '.';
    s += parts[i];
  }
  return s;
}

// Does `key` stand for `id` itself, a parametrisation of it, or a test inside it?
bool covers(std::string_view id, std::string_view key, std::string_view sep) {
  if (key.size() < id.size() || key.substr(0, id.size()) != id) return false;
  if (key.size() == id.size()) return true;
  std::string_view rest = key.substr(id.size());
  if (rest.front() == '[') return id.find('[') == std::string_view::npos;
  return rest.substr(0, sep.size()) == sep;
}

}  // namespace

std::string strip_params(std::string_view id) {
  auto b = id.find('[');
  return std::string(b == std::string_view::npos ? id : id.substr(0, b));
}

std::string dotted_from_nodeid(std::string_view nodeid) {
  auto bracket = nodeid.find('[');
  std::string head(nodeid.substr(0, bracket));
  std::string tail(bracket == std::string_view::npos ? "" : nodeid.substr(bracket));
  std::replace(head.begin(), head.end(), '\\', '/');
  while (head.rfind("./", 0) == 0) head.erase(0, 2);
  std::string out;
  std::size_t pos = 0;
  while (pos <= head.size()) {
    auto sep = head.find("::", pos);
    std::string part = head.substr(pos, sep == std::string::npos ? std::string::npos : sep - pos);
    if (pos == 0) {
      // The file part: drop ".py", turn path separators into dots.
      if (part.size() > 3 && part.compare(part.size() - 3, 3, ".py") == 0)
        part.resize(part.size() - 3);
      std::replace(part.begin(), part.end(), '/', '.');
    }
    if (!out.empty()) out += '.';
    out += part;
    if (sep == std::string::npos) break;
    pos = sep + 2;
  }
  return out + tail;
}

std::string dotted_from_junit(std::string_view classname, std::string_view name) {
  std::string cls(classname);
  std::replace(cls.begin(), cls.end(), '/', '.');
  if (cls.empty()) return std::string(name);
  return cls + "." + std::string(name);
}

std::string leaf_of(std::string_view dotted) {
  return components(dotted).back();
}

std::string nodeid_from_junit(std::string_view classname, std::string_view name,
                              std::string_view file) {
  auto parts = components(std::string(classname));
  if (classname.empty()) parts.clear();
  std::string id;
  std::size_t first_class = 0;
  if (!file.empty()) {
    std::string f(file);
    std::replace(f.begin(), f.end(), '\\', '/');
    while (f.rfind("./", 0) == 0) f.erase(0, 2);
    id = f;
    // Classname repeats the module path; the classes are what follows it.
    std::string mod =
        f.size() > 3 && f.compare(f.size() - 3, 3, ".py") == 0 ? f.substr(0, f.size() - 3) : f;
    std::replace(mod.begin(), mod.end(), '/', '.');
    auto mod_parts = components(mod);
    first_class = parts.size();
    // Find where the module path ends inside the classname (it may be shorter or longer).
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (parts[i] == mod_parts.back()) first_class = i + 1;
    }
    if (first_class == parts.size() && !parts.empty() &&
        std::isupper(static_cast<unsigned char>(parts.back()[0])) &&
        parts.back() != mod_parts.back()) {
      // PyTorch style: classname is just the class ("TestTorch").
      first_class = 0;
      while (first_class < parts.size() &&
             !std::isupper(static_cast<unsigned char>(parts[first_class][0])))
        ++first_class;
    }
  } else {
    while (first_class < parts.size() &&
           !std::isupper(static_cast<unsigned char>(parts[first_class][0])))
      ++first_class;
    if (first_class == 0 && !parts.empty()) {
      id = parts[0];  // no module part found; keep what we have
      first_class = 1;
    } else {
      for (std::size_t i = 0; i < first_class; ++i) id += (i ? "/" : "") + parts[i];
      if (!id.empty()) id += ".py";
    }
  }
  for (std::size_t i = first_class; i < parts.size(); ++i)
    id += (id.empty() ? "" : "::") + parts[i];
  id += (id.empty() ? "" : "::") + std::string(name);
  return id;
}

std::string_view to_string(MatchKind k) {
  switch (k) {
    case MatchKind::exact:
      return "exact";
    case MatchKind::normalized:
      return "normalized";
    case MatchKind::suffix:
      return "suffix";
    case MatchKind::leaf:
      return "leaf";
    case MatchKind::none:
      return "none";
  }
  return "none";
}

IdentityIndex::IdentityIndex(const std::vector<TestHistory>& tests) : tests_(tests) {
  for (std::size_t i = 0; i < tests.size(); ++i) {
    const auto& t = tests[i];
    std::string dotted =
        !t.nodeid.empty() ? dotted_from_nodeid(t.nodeid) : dotted_from_junit(t.classname, t.name);
    if (!t.nodeid.empty()) by_nodeid_.push_back({t.nodeid, i});
    by_dotted_.push_back({dotted, i});
    dotted_.push_back(dotted);
    if (!t.classname.empty() && dotted_from_junit(t.classname, t.name) != dotted)
      by_dotted_.push_back({dotted_from_junit(t.classname, t.name), i});
    auto parts = components(dotted);
    for (std::size_t from = 1; from + 2 <= parts.size(); ++from)
      by_suffix_.push_back({join_from(parts, from), i});
    by_leaf_.push_back({strip_params(parts.back()), i});
  }
  auto by_key = [](const Entry& a, const Entry& b) {
    return std::tie(a.key, a.index) < std::tie(b.key, b.index);
  };
  for (auto* v : {&by_nodeid_, &by_dotted_, &by_suffix_, &by_leaf_})
    std::sort(v->begin(), v->end(), by_key);
}

void IdentityIndex::set_marker_leaf_counts(const std::vector<std::string>& ids) {
  std::set<std::string> distinct;
  for (const auto& id : ids) {
    if (id.find("::") == std::string::npos) continue;
    distinct.insert(strip_params(dotted_from_nodeid(strip_params(id))));
  }
  marker_leaves_.clear();
  for (const auto& d : distinct) marker_leaves_.push_back(strip_params(leaf_of(d)));
  std::sort(marker_leaves_.begin(), marker_leaves_.end());
}

namespace {

// History tests whose key is `id`, a parametrisation of it, or inside it.
std::vector<const IdentityIndex::Entry*> covered(const std::vector<IdentityIndex::Entry>& v,
                                                 std::string_view id, std::string_view sep) {
  std::vector<const IdentityIndex::Entry*> out;
  if (id.empty()) return out;
  auto it =
      std::lower_bound(v.begin(), v.end(), id,
                       [](const IdentityIndex::Entry& e, std::string_view k) { return e.key < k; });
  for (; it != v.end() && std::string_view(it->key).substr(0, id.size()) == id; ++it)
    if (covers(id, it->key, sep)) out.push_back(&*it);
  return out;
}

void add_unique(std::vector<std::size_t>& out, std::size_t i) {
  if (std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
}

}  // namespace

MarkerMatch IdentityIndex::match(std::string_view marker_test_id) const {
  MarkerMatch m;
  for (const auto* e : covered(by_nodeid_, marker_test_id, "::")) add_unique(m.history, e->index);
  if (!m.history.empty()) {
    m.kind = MatchKind::exact;
    return m;
  }
  const std::string dotted = dotted_from_nodeid(marker_test_id);
  for (const auto* e : covered(by_dotted_, dotted, ".")) add_unique(m.history, e->index);
  if (!m.history.empty()) {
    m.kind = MatchKind::normalized;
    return m;
  }
  // Suffix tier: the report's rootdir differs from the scan root, in either direction.
  auto parts = components(dotted);
  std::set<std::string> roots;
  if (parts.size() >= 2) {
    for (const auto* e : covered(by_suffix_, dotted, ".")) {
      add_unique(m.history, e->index);
      // The part of the history test's dotted form in front of the matched suffix.
      const std::string& d = dotted_[e->index];
      roots.insert(d.substr(0, d.size() >= e->key.size() ? d.size() - e->key.size() : 0));
    }
    for (std::size_t from = 1; m.history.empty() && from + 2 <= parts.size(); ++from) {
      for (const auto* e : covered(by_dotted_, join_from(parts, from), "."))
        add_unique(m.history, e->index);
    }
  }
  if (!m.history.empty()) {
    m.kind = MatchKind::suffix;
    m.ambiguous = roots.size() > 1;
    return m;
  }
  // Leaf tier, weak: only a test function (not a module), unique on both sides.
  if (marker_test_id.find("::") == std::string_view::npos) return m;
  const std::string leaf = strip_params(parts.back());
  auto [lo, hi] = std::equal_range(marker_leaves_.begin(), marker_leaves_.end(), leaf);
  if (hi - lo > 1) {
    m.ambiguous = true;
    return m;
  }
  std::set<std::string> functions;
  std::vector<std::size_t> hits;
  for (const auto* e : covered(by_leaf_, leaf, "\x01")) {
    if (e->key != leaf) continue;
    hits.push_back(e->index);
    const auto& t = tests_[e->index];
    functions.insert(strip_params(!t.nodeid.empty() ? dotted_from_nodeid(t.nodeid)
                                                    : dotted_from_junit(t.classname, t.name)));
  }
  if (functions.size() == 1) {
    m.kind = MatchKind::leaf;
    m.history = hits;
  } else if (functions.size() > 1) {
    m.ambiguous = true;
  }
  return m;
}

}  // namespace flakegrab::correlate
