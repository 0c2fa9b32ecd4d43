// The link step: a name a test module uses is followed through imports, `__init__` re-exports
// and star imports into the tree's other modules, and what it is bound to there (a mark, a
// list of marks, a mark factory, a decorator function) becomes marker calls.
#include <cctype>

#include "grabber/python/link_sites.h"
#include "grabber/python/module_index.h"
#include "grabber/python/summary.h"

namespace flakegrab::extractor {
namespace {

constexpr int kMaxLinkDepth = 12;  // alias and factory chains; cycles end here

struct Found {
  const ModuleSummary* module = nullptr;
  const Symbol* symbol = nullptr;
};

std::string join(const std::vector<std::string>& v, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to; ++i) out += (i > from ? "." : "") + v[i];
  return out;
}

const ModuleSummary* module_named(const ModuleContext& c, const std::string& dotted,
                                  const std::string& from_path) {
  if (dotted == c.module) {
    used_self(c);
    return c.self;
  }
  if (!c.index) return nullptr;
  const ModuleIndex::Module* m = c.index->find(dotted, from_path);
  return m ? m->summary.get() : nullptr;  // lookup records the names used of it
}

Found find_symbol(const ModuleContext& c, const std::string& q, const std::string& from, int depth);

Found lookup(const ModuleContext& c, const ModuleSummary* s, const std::string& name,
             const std::string& rest, int depth) {
  if (s != c.self) record_dep(c, ModuleIndex::symbol_key(s->path, name));
  auto it = s->symbols.find(name);
  if (it == s->symbols.end()) {
    for (const auto& star : s->star_imports) {
      Found f = find_symbol(c, star + "." + name + rest, s->path, depth + 1);
      if (f.symbol) return f;
    }
    return {};
  }
  if (it->second.kind == Symbol::alias) {
    std::string target = it->second.qualified + rest;
    // `from . import sub` in a package names the submodule itself, not a symbol.
    if (target == s->module + "." + name + rest) return {};
    return find_symbol(c, target, s->path, depth + 1);
  }
  if (!rest.empty()) return {};
  return {s, &it->second};
}

Found find_symbol(const ModuleContext& c, const std::string& q, const std::string& from,
                  int depth) {
  if (depth > kMaxLinkDepth) return {};
  auto parts = split_dots(q);
  if (parts.size() == 1) {
    // An unbound name: only a star import of the using module can define it.
    if (from != c.path) return {};
    used_self(c);
    return c.self ? lookup(c, c.self, parts[0], "", depth) : Found{};
  }
  // Longest module first: `a.b.c` is symbol c of module a.b before symbol b of module a.
  for (size_t k = parts.size() - 1; k >= 1; --k) {
    const ModuleSummary* s = module_named(c, join(parts, 0, k), from);
    if (!s) continue;
    std::string rest = k + 1 < parts.size() ? "." + join(parts, k + 1, parts.size()) : "";
    return lookup(c, s, parts[k], rest, depth);
  }
  return {};
}

bool is_ident_char(char ch) {
  return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_';
}

// Replaces the factory's parameters and locals in an argument's text by the values they are
// given, where those are literals: `not safe_import(package)` with package="scipy" reads
// `not safe_import("scipy")`, and f"no {package}" reads "no scipy".
Arg substitute(const Arg& a, const std::map<std::string, Arg>& values, int depth = 0) {
  auto whole = values.find(a.text);
  if (whole != values.end()) {
    Arg r = depth < 4 ? substitute(whole->second, values, depth + 1) : whole->second;
    r.key = a.key;
    return r;
  }
  std::string out;
  const std::string& t = a.text;
  bool fstring = false;
  char quote = 0;
  for (size_t i = 0; i < t.size();) {
    char ch = t[i];
    if (quote) {
      if (ch == '\\' && i + 1 < t.size()) {
        out += t.substr(i, 2);
        i += 2;
        continue;
      }
      if (ch == quote) quote = 0;
      if (fstring && ch == '{' && i + 1 < t.size() && t[i + 1] != '{') {
        size_t end = t.find('}', i);
        auto v =
            end == std::string::npos ? values.end() : values.find(t.substr(i + 1, end - i - 1));
        if (v != values.end() && v->second.str && !v->second.str->starts_with("f")) {
          out += *v->second.str;
          i = end + 1;
          continue;
        }
      }
      out += ch;
      ++i;
      continue;
    }
    if (ch == '"' || ch == '\'') {
      quote = ch;
      fstring = i > 0 && (t[i - 1] == 'f' || t[i - 1] == 'F');
      out += ch;
      ++i;
      continue;
    }
    if (is_ident_char(ch) && !std::isdigit(static_cast<unsigned char>(ch)) &&
        (i == 0 || (!is_ident_char(t[i - 1]) && t[i - 1] != '.'))) {
      size_t j = i;
      while (j < t.size() && is_ident_char(t[j])) ++j;
      std::string word = t.substr(i, j - i);
      auto v = values.find(word);
      bool keyword = j < t.size() && t[j] == '=' && (j + 1 >= t.size() || t[j + 1] != '=');
      bool prefix = j < t.size() && (t[j] == '"' || t[j] == '\'');
      out += v != values.end() && !keyword && !prefix ? v->second.text : word;
      i = j;
      continue;
    }
    out += ch;
    ++i;
  }
  Arg r{a.key, out, a.str};
  if (out != t) {
    r.str.reset();
    // An f-string all of whose fields were filled is a plain string now.
    size_t p = 0;
    while (p < out.size() && out[p] != '"' && out[p] != '\'') ++p;
    bool f = out.substr(0, p).find_first_of("fF") != std::string::npos;
    if (f && out.find('{') == std::string::npos && out.size() >= p + 2)
      r.str = out.substr(p + 1, out.size() - p - 2);
  }
  return r;
}

bool is_literal(const Arg& a) {
  if (a.str && !a.text.starts_with("f") && !a.text.starts_with("F")) return true;
  if (a.text == "True" || a.text == "False" || a.text == "None") return true;
  return !a.text.empty() && (std::isdigit(static_cast<unsigned char>(a.text[0])) ||
                             (a.text[0] == '-' && a.text.size() > 1));
}

// The values a factory's parameters take at a call: literal arguments, else literal defaults.
// With `any_arg`, a call-site expression too, parenthesized: a condition reads better with
// `sys.platform != "linux"` than with the helper's parameter name.
std::map<std::string, Arg> bind_params(const FunctionSummary& fn, const std::vector<Arg>& args,
                                       bool any_arg = false) {
  std::map<std::string, Arg> values;
  for (const auto& [name, def] : fn.defaults)
    if (is_literal(def) && def.text != "None") values[name] = def;
  for (const auto& a : args) {
    std::string param;
    if (!a.key.empty() && std::isdigit(static_cast<unsigned char>(a.key[0]))) {
      size_t pos = std::stoul(a.key);
      if (pos < fn.params.size()) param = fn.params[pos];
    } else {
      param = a.key;
    }
    if (param.empty()) continue;
    if (is_literal(a))
      values[param] = a;
    else if (any_arg)
      values[param] = Arg{a.key, "(" + a.text + ")", std::nullopt};
    else
      values.erase(param);
  }
  // Locals read the parameters; a parameter that has no literal value hides nothing.
  std::map<std::string, Arg> all = values;
  for (const auto& [name, local] : fn.locals)
    if (!all.count(name) && !std::count(fn.params.begin(), fn.params.end(), name))
      all[name] = substitute(local, values);
  return all;
}

// A helper gives the mark only under its `if`: that condition, its parameters' literal values
// filled in, joins any the mark already had from a deeper helper.
void add_guard(MarkCall& k, const std::optional<std::string>& guard,
               const std::map<std::string, Arg>& values) {
  if (!guard) return;
  std::string g = substitute(Arg{"", *guard, std::nullopt}, values).text;
  k.guard = k.guard ? conjoin(g, *k.guard) : g;
}

// The marks `q` (called with `args` when `called`) stands for; `element` >= 0: only those of
// that item of the tuple the call returns (a name bound by unpacking it).
std::vector<MarkCall> expand(const ModuleContext& c, const std::string& q, bool called,
                             const std::vector<Arg>& args, const std::string& from,
                             const std::optional<std::string>& origin, int depth,
                             int element = -1) {
  if (depth > kMaxLinkDepth) return {};
  Resolved r{q, 2, true};
  MarkCall direct;
  direct.name = marker_name(c, r, direct.is_mark);
  if (!direct.name.empty()) {
    if (element >= 0) return {};  // a mark is no tuple
    direct.args = args;
    direct.origin = origin;
    return {direct};
  }
  // What pytest and unittest define is not in the tree.
  if (q.starts_with("pytest.") || q.starts_with("unittest.") || q.starts_with("self.")) return {};
  Found f = find_symbol(c, q, from, depth);
  if (!f.symbol) return {};
  const ModuleSummary& s = *f.module;
  auto where = [&](const MarkExpr& e) { return s.path + ":" + std::to_string(e.line); };
  std::vector<MarkCall> out;
  if (element >= 0 && !(f.symbol->kind == Symbol::function && called)) {
    return {};  // only a call's result is unpacked here
  } else if (f.symbol->kind == Symbol::mark_list) {
    for (const auto& e : f.symbol->marks) {
      auto marks = expand(c, e.callee, e.called, e.args, s.path, where(e), depth + 1, e.element);
      // `requires_gpu = skip_if_no_gpu()` with skip_if_no_gpu from outside the tree; not an
      // item of what it returns (which item is a mark is not known): the name itself may say.
      if (marks.empty() && e.element < 0)
        if (auto u = unresolved_mute(c, e.callee, s.path, e.called, e.args, e.line)) {
          u->origin = where(e);
          marks.push_back(std::move(*u));
        }
      for (auto& k : marks) {
        if (called) k.args.insert(k.args.end(), args.begin(), args.end());
        out.push_back(std::move(k));
      }
    }
  } else if (f.symbol->kind == Symbol::function && called) {
    const FunctionSummary& fn = f.symbol->fn;
    auto values = bind_params(fn, args);
    auto guard_values = bind_params(fn, args, true);
    for (const auto& e : fn.returns) {
      if (element >= 0 && e.element != element) continue;
      std::vector<Arg> filled;
      for (const auto& a : e.args) {
        filled.push_back(substitute(a, values));
        // `unittest.skip(reason)` given a computed reason: its expression, not the name.
        auto it = guard_values.find(filled.back().text);
        if (it != guard_values.end() && !values.count(it->first))
          filled.back().text = it->second.text.substr(1, it->second.text.size() - 2);
      }
      for (auto& k : expand(c, e.callee, e.called, filled, s.path, where(e), depth + 1)) {
        add_guard(k, e.guard, guard_values);
        k.factory = q;
        k.factory_args.clear();
        for (const auto& a : args) k.factory_args.emplace_back(a.key, a.text);
        out.push_back(std::move(k));
      }
    }
  } else if (f.symbol->kind == Symbol::function) {
    // Used bare as a decorator: the marks it applies to its argument, its locals filled in.
    auto values = bind_params(f.symbol->fn, {});
    for (const auto& e : f.symbol->fn.applies) {
      std::vector<Arg> filled;
      for (const auto& a : e.args) filled.push_back(substitute(a, values));
      for (auto& k : expand(c, e.callee, e.called, filled, s.path, where(e), depth + 1)) {
        add_guard(k, e.guard, values);
        out.push_back(std::move(k));
      }
    }
  }
  return out;
}

}  // namespace

std::vector<MarkCall> link_marks(const ModuleContext& c, const std::string& qualified, bool called,
                                 const std::vector<Arg>& args) {
  return expand(c, qualified, called, args, std::string(c.path), std::nullopt, 0);
}

std::vector<MarkCall> link_expr(const ModuleContext& c, const MarkExpr& e,
                                const ModuleSummary& module) {
  return link_expr(c, e, module.path);
}

std::vector<MarkCall> link_expr(const ModuleContext& c, const MarkExpr& e,
                                const std::string& path) {
  std::string where = path + ":" + std::to_string(e.line);
  auto calls = expand(c, e.callee, e.called, e.args, path, where, 0, e.element);
  if (calls.empty())
    if (auto u = unresolved_mute(c, e.callee, path, e.called, e.args, e.line)) {
      u->origin = where;
      calls.push_back(std::move(*u));
    }
  return calls;
}

namespace {

// Whether nothing known stands behind a name: pytest's and unittest's names are known (a
// marker, or no mark such as `pytest.mark.usefixtures`), so is a mark name of the tree whose
// values all are; a name the tree does not define, a function or a class are not.
bool opaque(const ModuleContext& c, const std::string& q, const std::string& from, int depth) {
  if (q.starts_with("pytest.") || q.starts_with("unittest.")) return false;
  if (depth > kMaxLinkDepth) return true;
  Found f = find_symbol(c, q, from, depth);
  if (!f.symbol) return true;
  if (f.symbol->kind != Symbol::mark_list || f.symbol->marks.empty()) return true;
  for (const auto& e : f.symbol->marks)
    if (opaque(c, e.callee, f.module->path, depth + 1)) return true;
  return false;
}

}  // namespace

std::optional<MarkCall> unresolved_mute(const ModuleContext& c, const std::string& qualified,
                                        const std::string& from_path, bool called,
                                        const std::vector<Arg>& args, int line) {
  // pytest's and unittest's own names are markers or nothing (`pytest.mark.skip_on_ci` is a
  // custom mark, not a decorator of unknown meaning).
  if (!c.cfg) return std::nullopt;
  std::string last = qualified.substr(qualified.rfind('.') + 1);
  auto kind = mute_kind(last);
  if (!kind || !opaque(c, qualified, from_path, 0)) return std::nullopt;
  MarkCall call;
  call.name = last;
  call.line = line;
  call.resolved = false;
  call.kind = kind;
  if (called) call.args = args;
  return call;
}

std::vector<MarkCall> decorator_marks(const ModuleContext& c, TSNode dec_expr) {
  auto calls = as_marker(c, dec_expr);
  if (!calls.empty()) return calls;
  auto r = resolve(c, dec_expr);
  if (!r) return calls;
  std::vector<Arg> args;
  const bool called = type(dec_expr) == "call";
  if (called) push_args(field(dec_expr, "arguments"), args, c);
  LinkSite site;
  site.kind = LinkSite::mute, site.callee = r->qualified, site.called = called;
  site.args = std::move(args), site.line = line_of(dec_expr), site.from = std::string(c.path);
  return ask(c, std::move(site));
}

namespace {

// The in-tree symbol of kind `kind` a dotted name of module `from_path` stands for.
Found in_tree(const ModuleContext& c, const std::string& qualified, const std::string& from_path,
              Symbol::Kind kind) {
  // What pytest and unittest define is not in the tree.
  if (qualified.starts_with("pytest.") || qualified.starts_with("unittest.")) return {};
  Found f = find_symbol(c, qualified, from_path, 0);
  return f.symbol && f.symbol->kind == kind ? f : Found{};
}

}  // namespace

LinkedClass link_class(const ModuleContext& c, const std::string& qualified,
                       const std::string& from_path) {
  Found f = in_tree(c, qualified, from_path, Symbol::klass);
  return f.symbol ? LinkedClass{f.module, &f.symbol->cls} : LinkedClass{};
}

LinkedFunction link_function(const ModuleContext& c, const std::string& qualified,
                             const std::string& from_path) {
  Found f = in_tree(c, qualified, from_path, Symbol::function);
  return f.symbol ? LinkedFunction{f.module, &f.symbol->def} : LinkedFunction{};
}

LinkedParams link_params(const ModuleContext& c, const std::string& qualified,
                         const std::string& from_path) {
  if (qualified.starts_with("pytest.") || qualified.starts_with("unittest.")) return {};
  // A list of the module that names it is bound by no import: `[1] + LATER` in a helper.
  const bool local = qualified.find('.') == std::string::npos && from_path != c.path;
  Found f =
      find_symbol(c, local ? module_of_path(from_path) + "." + qualified : qualified, from_path, 0);
  if (!f.symbol || f.symbol->params.empty()) return {};
  return {f.module, &f.symbol->params};
}

}  // namespace flakegrab::extractor
