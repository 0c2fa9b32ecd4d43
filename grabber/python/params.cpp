// Parametrize argvalues: the parameter sets an expression spells (a list or tuple display, a
// `+` of them, names of lists of this module or of another one of the tree), each set's marks
// and, where the source tells it, the id pytest gives it.
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <map>

#include "grabber/python/link_sites.h"
#include "grabber/python/summary.h"

namespace flakegrab::extractor {
namespace {

constexpr int kMaxListDepth = 12;  // names of lists made of names of lists; cycles end here

bool printable_ascii(std::string_view s) {
  for (char ch : s)
    if (ch < 0x20 || ch > 0x7e || ch == '\\') return false;
  return true;
}

// A string literal pytest's ascii escaping leaves as it is: no f-string, no escape sequence,
// printable ASCII only.
std::optional<std::string> plain_string(const ModuleContext& c, TSNode n) {
  if (type(n) != "string") return std::nullopt;
  std::string t = text(c, n);
  for (char ch : t.substr(0, t.find_first_of("'\"")))
    if (ch == 'f' || ch == 'F') return std::nullopt;
  auto v = string_value(c, n);
  if (!v || !printable_ascii(*v)) return std::nullopt;
  return v;
}

// Python's str() of an int literal: `0x10` is 16, `1_000` is 1000; nullopt when it does not fit.
std::optional<std::string> int_text(std::string t) {
  std::erase(t, '_');
  int base = 10;
  if (t.size() > 2 && t[0] == '0' && std::isalpha(static_cast<unsigned char>(t[1]))) {
    char b = static_cast<char>(std::tolower(static_cast<unsigned char>(t[1])));
    base = b == 'x' ? 16 : b == 'o' ? 8 : b == 'b' ? 2 : 0;
    if (!base) return std::nullopt;
    t = t.substr(2);
  }
  unsigned long long v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v, base);
  if (ec != std::errc{} || end != t.data() + t.size()) return std::nullopt;
  return std::to_string(v);
}

// Python's repr() of a float literal, for values it writes without an exponent.
std::optional<std::string> float_text(std::string t) {
  std::erase(t, '_');
  if (t.find_first_of("jJ") != std::string::npos) return std::nullopt;  // complex
  char* end = nullptr;
  double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || !(v == 0 || (v >= 1e-4 && v < 1e16))) return std::nullopt;
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  if (ec != std::errc{}) return std::nullopt;
  std::string out(buf, p);
  if (out.find('.') == std::string::npos) out += ".0";
  return out;
}

ValueId value_id(const ModuleContext& c, TSNode n, int depth = 0) {
  auto t = type(n);
  auto lit = [](std::optional<std::string> s) {
    return s ? ValueId{ValueId::literal, *s} : ValueId{};
  };
  if (t == "integer") return lit(int_text(text(c, n)));
  if (t == "float") return lit(float_text(text(c, n)));
  if (t == "true") return {ValueId::literal, "True"};
  if (t == "false") return {ValueId::literal, "False"};
  if (t == "none") return {ValueId::literal, "None", true};
  if (t == "string") return lit(plain_string(c, n));
  if (t == "lambda") return {ValueId::literal, "<lambda>"};
  if (t == "unary_operator" && text(c, field(n, "operator")) == "-") {
    TSNode arg = field(n, "argument");
    ValueId v = type(arg) == "integer" || type(arg) == "float" ? value_id(c, arg) : ValueId{};
    if (v.kind != ValueId::literal) return {};
    if (type(arg) == "integer" && v.text == "0") return v;
    return {ValueId::literal, "-" + v.text};
  }
  if (t == "parenthesized_expression" && depth < 8) {
    for (TSNode ch : named_children(n))
      if (type(ch) != "comment") return value_id(c, ch, depth + 1);
  }
  // Containers have no id of their own: pytest names them by argument and index.
  if (t == "list" || t == "tuple" || t == "dictionary" || t == "set" || t == "list_comprehension" ||
      t == "dictionary_comprehension" || t == "set_comprehension")
    return {ValueId::by_index, {}};
  return {};
}

void add_marks(const ModuleContext& c, TSNode marks, ParamItem& item) {
  item.marks_node = marks;
  for (TSNode e : items_or_self(marks))
    if (auto m = mark_expr(c, e)) item.marks.push_back(std::move(*m));
}

}  // namespace

bool is_param_call(const ModuleContext& c, TSNode n) {
  if (type(n) != "call") return false;
  auto r = resolve(c, n);
  return r && r->qualified == "pytest.param";
}

ParamItem param_item(const ModuleContext& c, TSNode n) {
  ParamItem item;
  if (is_param_call(c, n)) {
    item.shape = ParamItem::param;
    for (TSNode a : named_children(field(n, "arguments"))) {
      if (type(a) == "comment") continue;
      if (type(a) != "keyword_argument") {
        item.values.push_back(value_id(c, a));
        continue;
      }
      std::string k = text(c, field(a, "name"));
      TSNode v = field(a, "value");
      if (k == "marks") add_marks(c, v, item);
      if (k == "id" && type(v) != "none") {
        item.has_id = true;
        item.id = plain_string(c, v);
      }
    }
  } else if (type(n) == "tuple" || type(n) == "list") {
    item.shape = ParamItem::display;
    item.whole = {ValueId::by_index, {}};
    for (TSNode v : items_of(n)) item.values.push_back(value_id(c, v));
  } else {
    item.whole = value_id(c, n);
  }
  return item;
}

std::vector<ParamItem> param_items(const ModuleContext& c, TSNode expr, int depth) {
  std::vector<ParamItem> out;
  if (depth > kMaxDepth) return {ParamItem::unknown()};
  auto t = type(expr);
  if (t == "list" || t == "tuple") {
    for (TSNode n : items_of(expr)) out.push_back(param_item(c, n));
  } else if (t == "parenthesized_expression") {
    for (TSNode ch : named_children(expr))
      if (type(ch) != "comment") return param_items(c, ch, depth + 1);
  } else if (t == "binary_operator" && text(c, field(expr, "operator")) == "+") {
    out = param_items(c, field(expr, "left"), depth + 1);
    for (auto& i : param_items(c, field(expr, "right"), depth + 1)) out.push_back(std::move(i));
  } else if (t == "identifier" || t == "attribute") {
    if (auto r = resolve(c, expr)) out.push_back(ParamItem::named(r->qualified));
  } else if (t == "list_comprehension" || t == "generator_expression") {
    // `[pytest.param(e, marks=...) for e in ENGINES]`: every set carries the marks.
    TSNode body = field(expr, "body");
    ParamItem item = is_param_call(c, body) ? param_item(c, body) : ParamItem{};
    item.known = false;
    item.many = true;
    // Marks it carries over from the sets it iterates, linked as a summary's are.
    for (TSNode e : carried_marks(c, expr))
      if (auto m = mark_expr(c, e)) item.carried.push_back(std::move(*m));
    out.push_back(std::move(item));
  }
  if (out.empty() && t != "list" && t != "tuple") out.push_back(ParamItem::unknown());
  return out;
}

namespace {

struct Flat {
  const ParamItem* item;
  const ModuleSummary* module;  // null: written in the using module, its parse alive
};

void flatten(const ModuleContext& c, const std::vector<ParamItem>& items,
             const ModuleSummary* module, std::vector<Flat>& out, bool& exact, int depth) {
  for (const auto& i : items) {
    if (i.list.empty()) {
      out.push_back({&i, module});
      if (!i.known) exact = false;
      continue;
    }
    const std::string from = module ? module->path : std::string(c.path);
    LinkedParams l = depth < kMaxListDepth ? link_params(c, i.list, from) : LinkedParams{};
    if (!l.items) {
      exact = false;
      continue;
    }
    flatten(c, *l.items, l.module, out, exact, depth + 1);
  }
}

// The argument names of `argnames`: "a, b", ("a", "b"), ["a", "b"]; empty when not literal.
std::vector<std::string> arg_names(const ModuleContext& c, TSNode n) {
  std::vector<std::string> out;
  if (auto v = string_value(c, n); v && type(n) == "string") {
    std::string one;
    for (char ch : *v + ",") {
      if (ch == ',') {
        if (!one.empty()) out.push_back(one);
        one.clear();
      } else if (ch != ' ' && ch != '\t') {
        one += ch;
      }
    }
    return out;
  }
  for (TSNode s : items_of(n)) {
    auto v = plain_string(c, s);
    if (!v) return {};
    out.push_back(*v);
  }
  return out;
}

}  // namespace

ParamSets parametrize_sets(const ModuleContext& c, TSNode args) {
  ParamSets r;
  if (ts_node_is_null(args)) return r;
  TSNode names{}, values{}, ids{};
  size_t pos = 0;
  for (TSNode a : named_children(args)) {
    if (type(a) == "comment") continue;
    if (type(a) == "keyword_argument") {
      std::string k = text(c, field(a, "name"));
      if (k == "argnames") names = field(a, "value");
      if (k == "argvalues") values = field(a, "value");
      if (k == "ids") ids = field(a, "value");
      continue;
    }
    if (pos == 0) names = a;
    if (pos == 1) values = a;
    if (pos == 3) ids = a;
    ++pos;
  }
  if (ts_node_is_null(values)) return r;
  const std::vector<std::string> argnames = arg_names(c, names);
  // `ids=`: a list of literals (None: pytest's own id), else a callable or a name: not known.
  const bool ids_given = !ts_node_is_null(ids) && type(ids) != "none";
  bool ids_known = !ids_given;
  std::vector<ValueId> id_values;  // by index; `none`: pytest's own id
  if (ids_given) {
    // The list written here, or one named (`ids=IDS`, of this module or another).
    const std::vector<ParamItem> id_items = param_items(c, ids);
    std::vector<Flat> id_flat;
    ids_known = true;
    flatten(c, id_items, nullptr, id_flat, ids_known, 0);
    for (const auto& f : id_flat)
      id_values.push_back(f.item->shape == ParamItem::value ? f.item->whole : ValueId{});
  }

  const std::vector<ParamItem> items = param_items(c, values);
  std::vector<Flat> flat;
  flatten(c, items, nullptr, flat, r.exact, 0);
  bool indexed = true;  // every set before this one is known: its index is
  for (size_t idx = 0; idx < flat.size(); ++idx) {
    const ParamItem& item = *flat[idx].item;
    ParamSet set;
    // Written in a list elsewhere (or carried over from one): `line` is the parametrize's,
    // `origin` the mark's.
    auto link = [&](const std::vector<MarkExpr>& exprs, const ModuleSummary& module) {
      for (const auto& e : exprs)
        for (auto& k : ask_expr(c, e, module.path, line_of(args)))
          set.marks.push_back(std::move(k));
    };
    if (!ts_node_is_null(item.marks_node) && !flat[idx].module) {
      set.marks = marks_of(c, item.marks_node);
    } else if (flat[idx].module) {
      link(item.marks, *flat[idx].module);
    }
    if (const ModuleSummary* m = flat[idx].module ? flat[idx].module : c.self)
      link(item.carried, *m);
    if (item.many) {
      indexed = false;
    } else if (item.has_id) {
      set.id = item.id;
    } else if (ids_given && !(indexed && ids_known)) {
      // not known
    } else if (ids_given && idx < id_values.size() && !id_values[idx].none) {
      if (id_values[idx].kind == ValueId::literal) set.id = id_values[idx].text;
    } else if (!argnames.empty()) {
      const bool several = argnames.size() > 1;
      std::vector<ValueId> vals =
          item.shape == ParamItem::param || (item.shape == ParamItem::display && several)
              ? item.values
              : std::vector<ValueId>{item.whole};
      std::string joined;
      bool known = !vals.empty();
      for (size_t k = 0; k < vals.size() && k < argnames.size() && known; ++k) {
        if (vals[k].kind == ValueId::literal)
          joined += (k ? "-" : "") + vals[k].text;
        else if (vals[k].kind == ValueId::by_index && indexed)
          joined += (k ? "-" : "") + argnames[k] + std::to_string(idx);
        else
          known = false;
      }
      if (known) set.id = joined;
    }
    if (!item.known) indexed = false;
    r.sets.push_back(std::move(set));
  }
  // pytest 7 makes the ids of one parametrize unique by a counter: `a0`, `a1`.
  std::map<std::string, int> count, next;
  for (const auto& s : r.sets)
    if (s.id) ++count[*s.id];
  for (auto& s : r.sets)
    if (s.id && count[*s.id] > 1) *s.id += std::to_string(next[*s.id]++);
  return r;
}

}  // namespace flakegrab::extractor
