// Marks that parameter sets made by a comprehension carry over from the sets it iterates:
// pandas' `[_transfer_marks(eng, ext) for eng in engine_params for ext in read_ext_params]`,
// where `_transfer_marks` returns `pytest.param(values, marks=engine.marks)`.
#include <algorithm>
#include <map>

#include "grabber/python/summary.h"

namespace flakegrab::extractor {
namespace {

TSNode keyword_value(const ModuleContext& c, TSNode call, std::string_view name) {
  return field(keyword_argument(c, field(call, "arguments"), name), "value");
}

// `P.marks`: the name P.
std::string marks_of_name(const ModuleContext& c, TSNode n) {
  if (type(n) != "attribute" || text(c, field(n, "attribute")) != "marks") return {};
  TSNode obj = field(n, "object");
  return type(obj) == "identifier" ? text(c, obj) : std::string{};
}

// The names whose `.marks` a `pytest.param(..., marks=P.marks)` in `n` (not in nested
// definitions) passes on.
void passed_on(const ModuleContext& c, TSNode n, std::vector<std::string>& out, int depth) {
  if (ts_node_is_null(n) || depth > kMaxDepth) return;
  auto t = type(n);
  if (t == "function_definition" || t == "class_definition" || t == "lambda") return;
  if (is_param_call(c, n))
    if (auto p = marks_of_name(c, keyword_value(c, n, "marks")); !p.empty()) out.push_back(p);
  for (TSNode ch : named_children(n)) passed_on(c, ch, out, depth + 1);
}

// The module-level function `name` of the file `n` belongs to.
TSNode module_function(const ModuleContext& c, TSNode n, const std::string& name) {
  TSNode found{};
  for (TSNode s : named_children(ts_tree_root_node(n.tree))) {
    TSNode d = type(s) == "decorated_definition" ? field(s, "definition") : s;
    if (type(d) == "function_definition" && text(c, field(d, "name")) == name) found = d;
  }
  return found;
}

// The loop variables of the comprehension whose items it passes on: the body itself (`p for
// p in L`), `pytest.param(..., marks=p.marks)`, or a function of the module called with the
// variable where its body makes such a param of that parameter.
std::vector<std::string> carriers(const ModuleContext& c, TSNode body) {
  if (type(body) == "identifier") return {text(c, body)};
  if (type(body) != "call") return {};
  if (is_param_call(c, body)) {
    auto p = marks_of_name(c, keyword_value(c, body, "marks"));
    return p.empty() ? std::vector<std::string>{} : std::vector<std::string>{p};
  }
  TSNode callee = field(body, "function");
  if (type(callee) != "identifier") return {};
  TSNode fn = module_function(c, body, text(c, callee));
  if (ts_node_is_null(fn)) return {};
  std::vector<std::string> params;
  for (TSNode p : named_children(field(fn, "parameters")))
    params.push_back(type(p) == "identifier" ? text(c, p) : std::string{});
  std::vector<std::string> names;
  passed_on(c, field(fn, "body"), names, 0);
  std::vector<TSNode> args;
  for (TSNode a : named_children(field(body, "arguments")))
    if (type(a) != "comment" && type(a) != "keyword_argument") args.push_back(a);
  std::vector<std::string> out;
  for (size_t i = 0; i < params.size() && i < args.size(); ++i)
    if (!params[i].empty() && type(args[i]) == "identifier" &&
        std::find(names.begin(), names.end(), params[i]) != names.end())
      out.push_back(text(c, args[i]));
  return out;
}

}  // namespace

TSNode module_binding(const ModuleContext& c, TSNode root, const std::string& name) {
  TSNode found{};
  for (TSNode s : named_children(root)) {
    if (type(s) != "expression_statement") continue;
    TSNode a = ts_node_named_child(s, 0);
    if (type(a) == "assignment" && text(c, field(a, "left")) == name) found = field(a, "right");
  }
  return found;
}

std::vector<TSNode> carried_marks(const ModuleContext& c, TSNode comprehension) {
  std::map<std::string, TSNode> loops;  // variable -> what it iterates
  for (TSNode ch : named_children(comprehension))
    if (type(ch) == "for_in_clause" && type(field(ch, "left")) == "identifier")
      loops[text(c, field(ch, "left"))] = field(ch, "right");
  std::vector<TSNode> out;
  for (const auto& v : carriers(c, field(comprehension, "body"))) {
    auto it = loops.find(v);
    if (it == loops.end()) continue;
    TSNode list = it->second;
    if (type(list) == "identifier")
      list = module_binding(c, ts_tree_root_node(list.tree), text(c, list));
    for (TSNode p : items_of(list)) {
      if (!is_param_call(c, p)) continue;
      TSNode marks = keyword_value(c, p, "marks");
      if (ts_node_is_null(marks)) continue;
      for (TSNode e : items_or_self(marks)) out.push_back(e);
    }
  }
  return out;
}

}  // namespace flakegrab::extractor
