#include "grabber/python/module_index.h"

#include <re2/re2.h>

#include <map>
#include <set>
#include <string_view>
#include <vector>

#include "grabber/file_checks.h"
#include "grabber/python/mark_words.h"
#include "grabber/python/parse.h"
#include "grabber/python/summary.h"
#include "grabber/source_text.h"

namespace flakegrab {

// A path is probed (read, decoded, prefiltered) before it is parsed: finding where an import
// lands and whether a re-exported module may define marks need no parse.
struct ModuleIndex::Slot {
  std::once_flag probed;
  bool present = false;          // there is a file (readable or not): its bytes are depended on
  bool exists = false;           // a readable, decodable file within the size limit
  bool mentions_marker = false;  // python::code_names_mark
  // When it does not: the names it binds from modules that do (`network` of pandas/_testing,
  // from _testing/_io.py), as a `\b(?:a|b)\b` pattern, or `forwards` (a star import of such a
  // module, or such a name used again in its code: what it defines may give the mark under
  // any name); and every path that took to find out (each caller depends on them).
  std::once_flag reexports_checked;
  bool forwards = false;
  std::unique_ptr<RE2> marking_names;
  std::set<std::string> reexports_looked_at;
  std::once_flag summarized;
  std::optional<Module> module;
};

namespace {
thread_local ModuleIndex::Recorder* recording = nullptr;

// A helper is summarized from a parse without its methods' bodies (the summary reads their
// names, decorators and parameters only), on the worker's own parser; a whole parse when the
// lexical pass is in doubt or the partial parse has a syntax error, as the whole file's
// summary is what the link step must see.
TsTreePtr parse_for_summary(std::string_view text, bool full_parse) {
  TSParser* parser = python::thread_parser();
  if (!parser) return nullptr;
  auto elided = full_parse
                    ? std::nullopt
                    : python::elided_bodies(text, std::vector<uint32_t>{}, python::Bodies::summary);
  if (elided && !elided->empty()) {
    TsTreePtr tree = python::parse_python_without(parser, text, *elided);
    if (tree && !ts_node_has_error(ts_tree_root_node(tree.get()))) return tree;
  }
  return python::parse_python(parser, text);
}

// "a/b/c" -> "a/b", "a" -> "" (the root).
void to_parent(std::string& dir) {
  size_t cut = dir.rfind('/');
  dir = cut == std::string::npos ? "" : dir.substr(0, cut);
}

void record(const std::string& path) {
  if (recording) recording->paths.insert(path);
}

// Computing an identity loads modules, which no result depends on.
class NotRecording {
 public:
  NotRecording() : saved_(recording) { recording = nullptr; }
  ~NotRecording() { recording = saved_; }
  NotRecording(const NotRecording&) = delete;
  NotRecording& operator=(const NotRecording&) = delete;

 private:
  ModuleIndex::Recorder* saved_;
};

struct Import {
  std::string module;  // dotted, absolute
  std::string bound;   // the name the importing module gets, "*" for a star import
};
std::vector<Import> imported_modules(std::string_view path, std::string_view source);
}  // namespace

ModuleIndex::Recorder::Recorder() : outer_(recording) {
  recording = this;
}

ModuleIndex::Recorder::~Recorder() {
  recording = outer_;
  if (outer_) outer_->paths.insert(paths.begin(), paths.end());
}

std::string ModuleIndex::identity(const std::string& key) {
  {
    std::lock_guard lock(mu_);
    auto it = identities_.find(key);
    if (it != identities_.end()) return it->second;
  }
  std::string id;
  if (auto fine = fine_key(key)) {
    // The file's identity first: while it holds, so does what was read of it.
    id = identity(fine->path) + "|" + detail(*fine);
  } else if (identity_) {
    try {
      id = identity_(key).value_or("");
    } catch (const std::exception&) {
      id = "?";  // unknowable: never equal to a recorded identity
    }
  }
  std::lock_guard lock(mu_);
  identities_.emplace(key, id);
  return id;
}

bool ModuleIndex::holds(const std::string& key, const std::string& recorded) {
  auto fine = fine_key(key);
  if (!fine) return recorded != "?" && identity(key) == recorded;
  const size_t bar = recorded.find('|');
  if (bar == std::string::npos) return false;
  const std::string now = identity(fine->path);
  if (now == "?") return false;
  if (now == std::string_view(recorded).substr(0, bar)) return true;
  // The file changed: only what the result read of it counts (a parse of it, once a scan).
  return !now.empty() && detail(*fine) == std::string_view(recorded).substr(bar + 1);
}

std::optional<ModuleIndex::FineKey> ModuleIndex::fine_key(const std::string& key) {
  // Paths end in ".py" or "/": a "#NAME" after ".py" is a symbol key, a trailing "?" an
  // existence key.
  const size_t hash = key.rfind('#');
  if (hash != std::string::npos && hash >= 3 && key.compare(hash - 3, 3, ".py") == 0)
    return FineKey{key.substr(0, hash), key.substr(hash + 1)};
  if (key.ends_with(".py?")) return FineKey{key.substr(0, key.size() - 1), std::nullopt};
  return std::nullopt;
}

std::string ModuleIndex::detail(const FineKey& k) {
  NotRecording quiet;
  if (!k.name) return probe(k.path).exists ? "module" : "";
  const Module* m = load(k.path);
  return m ? extractor::symbol_fingerprint(*m->summary, *k.name) : "";
}

ModuleIndex::ModuleIndex(Reader read, const ScanConfig& config, std::uint64_t max_bytes,
                         std::string root_package, Identity identity)
    : read_(std::move(read)),
      identity_(std::move(identity)),
      config_(config),
      max_bytes_(max_bytes),
      full_parse_(config.full_parse),
      root_package_(std::move(root_package)) {}

struct ModuleIndex::MarkedFixtures {
  bool autouse = false;
  std::unique_ptr<RE2> names;  // \b(a|b)\b; null when there are none
};

ModuleIndex::~ModuleIndex() = default;

ModuleIndex::Slot& ModuleIndex::slot(const std::string& path) {
  std::lock_guard lock(mu_);
  auto& s = slots_[path];
  if (!s) s = std::make_unique<Slot>();
  return *s;
}

std::optional<std::string> ModuleIndex::source_of(const std::string& path, bool* present) {
  std::optional<std::string> bytes;
  try {
    bytes = read_(path);
  } catch (const std::exception&) {
    if (present) *present = true;
    return std::nullopt;  // unreadable helper: its names stay unresolved
  }
  if (present) *present = bytes.has_value();
  if (!bytes || bytes->size() > max_bytes_ || file_skip_reason(*bytes)) return std::nullopt;
  SourceText source = python_source_text(std::move(*bytes));
  if (source.skip_reason) return std::nullopt;
  return std::move(source.text);
}

ModuleIndex::Slot& ModuleIndex::probe(const std::string& path, bool exact, Depend depend) {
  Slot& s = slot(path);
  // Read outside the index lock: other workers probe other paths meanwhile.
  std::call_once(s.probed, [&] {
    std::optional<std::string> text = source_of(path, &s.present);
    if (!text) return;
    s.exists = true;
    s.mentions_marker = python::code_names_mark(*text, config_);
  });
  if (recording) {
    if (!s.present)
      record(exact ? path : absent_key(path));
    else
      record(depend == Depend::existence ? existence_key(path) : path);
  }
  return s;
}

// A path found absent is depended on through the nearest directory above it that exists, by
// that directory's entry names: the link step probes hundreds of absent paths per test file
// (`pd.DataFrame` may be a module DataFrame.py or DataFrame/__init__.py), and each kept as its
// own dependency made a pandas test file's cached record ~30 KB. The few probes every file
// makes in its own directories (conftest.py, __init__.py) are kept `exact`, by path, so that
// a file added beside a test does not make it look changed.
std::string ModuleIndex::absent_key(const std::string& path) {
  if (!identity_) return path;
  std::string dir = path;
  do to_parent(dir);
  while (!dir.empty() && identity(dir + "/").empty());
  return dir + "/";  // "/" is the root
}

const ModuleIndex::Module* ModuleIndex::load(const std::string& path, bool exact, Depend depend) {
  Slot& s = probe(path, exact, depend);
  if (!s.exists) return nullptr;
  std::call_once(s.summarized, [&] {
    Module m;
    m.mentions_marker = s.mentions_marker;
    // The summary depends on the bytes alone; the cache is one per extractor version.
    std::string key;
    if (summaries_.get && identity_) {
      std::string id = identity(path);
      if (!id.empty() && id != "?") key = "summary:" + path + ":" + id;
    }
    if (!key.empty())
      if (auto bytes = summaries_.get(key))
        if (auto summary = extractor::decode_summary(*bytes); summary && summary->path == path) {
          cached_summaries_ += 1;
          m.summary = std::make_unique<extractor::ModuleSummary>(std::move(*summary));
          s.module = std::move(m);
          return;
        }
    std::optional<std::string> text = source_of(path);  // read again: few modules get here
    if (!text) return;
    TsTreePtr tree = parse_for_summary(*text, full_parse_);
    if (!tree) return;
    parsed_modules_ += 1;
    parsed_bytes_ += text->size();
    m.summary = std::make_unique<extractor::ModuleSummary>(
        extractor::summarize(path, *text, ts_tree_root_node(tree.get())));
    if (!key.empty() && summaries_.put) summaries_.put(key, extractor::encode_summary(*m.summary));
    s.module = std::move(m);
  });
  return s.module ? &*s.module : nullptr;
}

std::string ModuleIndex::package_root(std::string_view from_path) {
  std::string dir(from_path);
  to_parent(dir);
  for (int i = 0;
       i < 64 && !dir.empty() && probe(dir + "/__init__.py", true, Depend::existence).exists; ++i)
    to_parent(dir);
  return dir;
}

std::optional<std::string> ModuleIndex::find_path(const std::string& dotted,
                                                  std::string_view from_path) {
  if (dotted.empty()) return std::nullopt;
  // The answer depends on the importing file's directory only (package_root walks up from it).
  const size_t cut = from_path.rfind('/');
  std::string key(from_path.substr(0, cut == std::string_view::npos ? 0 : cut));
  key += '\0';
  key += dotted;
  {
    std::lock_guard lock(mu_);
    if (auto it = found_.find(key); it != found_.end()) {
      if (recording)
        recording->paths.insert(it->second.looked_at.begin(), it->second.looked_at.end());
      return it->second.path;
    }
  }
  Found found;
  {
    Recorder looked_at;
    found.path = look_up(dotted, from_path);
    found.looked_at.assign(looked_at.paths.begin(), looked_at.paths.end());
  }
  std::lock_guard lock(mu_);
  return found_.emplace(std::move(key), std::move(found)).first->second.path;
}

std::optional<std::string> ModuleIndex::look_up(const std::string& dotted,
                                                std::string_view from_path) {
  auto at = [&](const std::string& dir, std::string_view name) -> std::optional<std::string> {
    std::string rel(name);
    for (char& ch : rel)
      if (ch == '.') ch = '/';
    std::string prefix = dir.empty() ? "" : dir + "/";
    for (std::string p : {prefix + rel + ".py", prefix + rel + "/__init__.py"}) {
      if (rel.empty()) p = prefix + "__init__.py";
      if (probe(p, false, Depend::existence).exists) return p;
      if (rel.empty()) break;
    }
    return std::nullopt;
  };
  std::string base = package_root(from_path);
  // The walk up reached a scan root that is itself a package: its name is the first part of
  // every absolute import of it.
  if (base.empty() && !root_package_.empty() && probe("__init__.py", true).exists) {
    std::string_view d(dotted);
    if (d == root_package_) return at("", "");
    if (d.starts_with(root_package_) && d.size() > root_package_.size() &&
        d[root_package_.size()] == '.')
      if (auto p = at("", d.substr(root_package_.size() + 1))) return p;
  }
  if (!base.empty())
    if (auto p = at(base, dotted)) return p;
  if (auto p = at("", dotted)) return p;
  return at("src", dotted);
}

const ModuleIndex::Module* ModuleIndex::find(const std::string& dotted,
                                             std::string_view from_path) {
  std::optional<std::string> path = find_path(dotted, from_path);
  return path ? load(*path, false, Depend::existence) : nullptr;
}

namespace {
// The names after `import` at the start of `rest`, with what each binds: one line (backslashes
// continue it), or a parenthesized list over several; comments dropped.
std::vector<std::pair<std::string, std::string>> imported_names(re2::StringPiece rest) {
  std::string_view text(rest.data(), rest.size());
  size_t i = text.find_first_not_of(" \t");
  if (i == std::string_view::npos) return {};
  if (text[i] == '*') return {{"*", "*"}};
  size_t end = i;
  if (text[i] == '(') {
    end = text.find(')', i++);
  } else {
    do end = text.find('\n', end + 1);
    while (end != std::string_view::npos && end > 0 && text[end - 1] == '\\');
  }
  std::string_view list = text.substr(i, end == std::string_view::npos ? end : end - i);
  std::vector<std::pair<std::string, std::string>> names;
  static const RE2 name_re(R"((?m)(?:^|,)[\s\\]*([\w.]+)(?:\s+as\s+(\w+))?[\s\\]*(?:#[^\n]*)?)");
  re2::StringPiece in(list.data(), list.size());
  std::string name, as;
  while (RE2::FindAndConsume(&in, name_re, &name, &as))
    names.emplace_back(name, as.empty() ? name : as);
  return names;
}

// Every module an import statement of `source` may name, made absolute for the module at
// `path`: `from X import a as b` gives X and X.a (a name may be a submodule), binding b;
// `import a.b as c, d.e` gives a.b binding c and d.e binding d. Read line by line, so an
// import in a string counts too: a module too many only keeps a file that could be dropped.
std::vector<Import> imported_modules(std::string_view path, std::string_view source) {
  static const RE2 import_re(R"((?m)^[ \t]*(?:from[ \t]+([.\w]+)[ \t]+)?import\b)");
  re2::StringPiece input(source.data(), source.size());
  const std::string module = extractor::module_of_path(path);
  const bool package = path.ends_with("__init__.py");
  std::vector<Import> out;
  std::string from_mod;
  while (RE2::FindAndConsume(&input, import_re, &from_mod)) {
    if (from_mod.empty()) {
      for (auto& [name, as] : imported_names(input)) {
        if (name == "*") continue;
        out.push_back({name, as == name ? name.substr(0, name.find('.')) : as});
      }
      continue;
    }
    std::string dotted = extractor::absolute_module(module, package, from_mod);
    for (auto& [name, as] : imported_names(input)) {
      out.push_back({dotted, as});
      // `from test import support`: the name may be a submodule, which the package itself
      // need not mention.
      if (name != "*" && name.find('.') == std::string::npos)
        out.push_back({dotted + "." + name, as});
    }
  }
  return out;
}

// How often each identifier occurs in the code of `s` (not its comments or strings).
std::map<std::string, int> code_identifier_counts(std::string_view s) {
  static const RE2 token_re(
      R"re((#[^\n]*|[rRbBuUfF]{0,2}(?:"""(?s:.*?)"""|'''(?s:.*?)'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|([A-Za-z_]\w*)))re");
  std::map<std::string, int> counts;
  re2::StringPiece in(s.data(), s.size());
  std::string skipped, word;
  while (RE2::FindAndConsume(&in, token_re, &skipped, &word))
    if (!word.empty()) ++counts[word];
  return counts;
}
}  // namespace

bool ModuleIndex::reexports_mark(const std::string& path, Slot& s, std::string_view user) {
  std::call_once(s.reexports_checked, [&] {
    Recorder looked_at;
    std::optional<std::string> text = source_of(path);
    if (!text) return;
    std::set<std::string> names;
    for (const Import& imp : imported_modules(path, *text)) {
      std::optional<std::string> p = find_path(imp.module, path);
      if (!p || !probe(*p).mentions_marker) continue;
      if (imp.bound == "*") s.forwards = true;
      names.insert(imp.bound);
    }
    if (!s.forwards && !names.empty()) {
      // Bound once (by the import) and not used again: only a file spelling the name gets it.
      std::map<std::string, int> counts = code_identifier_counts(*text);
      std::string alternatives;
      for (const auto& n : names) {
        s.forwards = s.forwards || counts[n] > 1;
        alternatives += (alternatives.empty() ? "" : "|") + RE2::QuoteMeta(n);
      }
      s.marking_names = std::make_unique<RE2>("\\b(?:" + alternatives + ")\\b");
    }
    s.reexports_looked_at = std::move(looked_at.paths);
  });
  // Hundreds of paths for a package __init__ that imports much (`import pandas`): a scan that
  // records nothing does not walk them for each file the prefilter dropped.
  if (recording)
    for (const auto& p : s.reexports_looked_at) record(p);
  if (s.forwards) return true;
  return s.marking_names &&
         RE2::PartialMatch(re2::StringPiece(user.data(), user.size()), *s.marking_names);
}

bool ModuleIndex::imports_marks(std::string_view path, std::string_view source) {
  // What a module imports is read lexically, not parsed: one step of re-exports (`from .marks
  // import requires_x` in a package's __init__) finds the module that may define the mark,
  // and the names bound from it are what a file must spell to use it.
  for (const Import& imp : imported_modules(path, source)) {
    std::optional<std::string> p = find_path(imp.module, path);
    if (!p) continue;
    Slot& s = probe(*p);
    if (s.exists && (s.mentions_marker || reexports_mark(*p, s, source))) return true;
  }
  return false;
}

}  // namespace flakegrab

namespace flakegrab {

std::vector<const ModuleIndex::Module*> ModuleIndex::conftests_from(std::string dir) {
  std::vector<const Module*> out;
  for (int i = 0; i < 64; ++i) {
    if (const Module* m = load(dir.empty() ? "conftest.py" : dir + "/conftest.py", true))
      out.push_back(m);
    if (dir.empty()) break;
    to_parent(dir);
  }
  return out;
}

const ModuleIndex::MarkedFixtures& ModuleIndex::marked_fixtures(const std::string& dir) {
  // Looked up before the memo: a result that uses what is memoized depends on these files
  // (each load is recorded), whether this call reads them or finds them read.
  const std::vector<const Module*> chain = conftests_from(dir);
  {
    std::lock_guard lock(mu_);
    auto it = marked_.find(dir);
    if (it != marked_.end()) return *it->second;
  }
  // A nearer definition of a name hides the outer ones, and marks reach a fixture through
  // what it requests.
  std::map<std::string, const extractor::FixtureSummary*> visible;
  for (const Module* m : chain)
    for (const auto& [name, f] : m->summary->fixtures) visible.emplace(name, &f);
  std::set<std::string> marked;
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [name, f] : visible) {
      if (marked.count(name)) continue;
      bool m = !f->param_marks.empty() || !f->skips.empty() || !f->applied.empty();
      for (const auto& r : f->requests) m = m || marked.count(r) > 0;
      if (m) grew = marked.insert(name).second;
    }
  }
  auto out = std::make_unique<MarkedFixtures>();
  std::string alternatives;
  for (const auto& name : marked) {
    out->autouse = out->autouse || visible[name]->autouse;
    alternatives += (alternatives.empty() ? "" : "|") + RE2::QuoteMeta(name);
  }
  if (!alternatives.empty()) out->names = std::make_unique<RE2>("\\b(?:" + alternatives + ")\\b");
  std::lock_guard lock(mu_);
  auto& slot = marked_[dir];
  if (!slot) slot = std::move(out);
  return *slot;
}

bool ModuleIndex::requests_marked_fixtures(std::string_view path, std::string_view source) {
  size_t cut = path.rfind('/');
  const MarkedFixtures& m =
      marked_fixtures(cut == std::string_view::npos ? "" : std::string(path.substr(0, cut)));
  if (m.autouse) return true;
  return m.names && RE2::PartialMatch(re2::StringPiece(source.data(), source.size()), *m.names);
}

}  // namespace flakegrab
