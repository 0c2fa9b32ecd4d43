// tree-sitter node helpers for the extractor: source text, attribute chains, string literals.
#include <unordered_map>

#include "grabber/python/internals.h"

namespace flakegrab::extractor {

namespace {
// One cursor per thread, reset to each node asked about: its stack is allocated once.
struct ThreadCursor {
  TSTreeCursor cursor{};
  bool live = false;
  ~ThreadCursor() {
    if (live) ts_tree_cursor_delete(&cursor);
  }
};
}  // namespace

std::vector<TSNode> named_children(TSNode n) {
  std::vector<TSNode> out;
  if (ts_node_is_null(n)) return out;
  out.reserve(ts_node_named_child_count(n));
  thread_local ThreadCursor tc;
  if (tc.live) {
    ts_tree_cursor_reset(&tc.cursor, n);
  } else {
    tc.cursor = ts_tree_cursor_new(n);
    tc.live = true;
  }
  if (!ts_tree_cursor_goto_first_child(&tc.cursor)) return out;
  do {
    TSNode ch = ts_tree_cursor_current_node(&tc.cursor);
    if (ts_node_is_named(ch)) out.push_back(ch);
  } while (ts_tree_cursor_goto_next_sibling(&tc.cursor));
  return out;
}

std::string text(const ModuleContext& c, TSNode n) {
  if (ts_node_is_null(n)) return {};
  uint32_t b = ts_node_start_byte(n), e = ts_node_end_byte(n);
  if (e > c.src.size() || b > e) return {};
  return std::string(c.src.substr(b, e - b));
}

std::string_view type(TSNode n) {
  return ts_node_is_null(n) ? "" : ts_node_type(n);
}

int line_of(TSNode n) {
  return static_cast<int>(ts_node_start_point(n).row) + 1;
}

TSNode field(TSNode n, const char* f) {
  if (!n.tree) return n;
  // Field names are literals: each one's id is looked up once per thread, not by comparing
  // it with every field name of the grammar on each call.
  thread_local std::unordered_map<const char*, TSFieldId> ids;
  auto [it, fresh] = ids.try_emplace(f, 0);
  if (fresh)
    it->second = ts_language_field_id_for_name(ts_node_language(n), f,
                                               static_cast<uint32_t>(std::string_view(f).size()));
  return ts_node_child_by_field_id(n, it->second);
}

std::vector<std::string> chain(const ModuleContext& c, TSNode n, int depth) {
  if (depth > kMaxDepth) return {};
  if (type(n) == "identifier") return {text(c, n)};
  if (type(n) == "attribute") {
    auto v = chain(c, field(n, "object"), depth + 1);
    if (v.empty()) return {};
    v.push_back(text(c, field(n, "attribute")));
    return v;
  }
  return {};
}

std::optional<std::string> string_value(const ModuleContext& c, TSNode n) {
  if (type(n) == "concatenated_string") {
    std::string all;
    for (TSNode ch : named_children(n)) {
      auto part = string_value(c, ch);
      if (!part) return text(c, n);
      all += *part;
    }
    return all;
  }
  if (type(n) != "string") return std::nullopt;
  std::string t = text(c, n);
  size_t p = 0;
  bool fstr = false;
  while (p < t.size() && t[p] != '\'' && t[p] != '"') {
    if (t[p] == 'f' || t[p] == 'F') fstr = true;
    ++p;
  }
  if (fstr) return t;
  std::string_view body(t);
  body.remove_prefix(p);
  size_t q = body.size() >= 6 && (body.starts_with("\"\"\"") || body.starts_with("'''")) ? 3 : 1;
  if (body.size() < 2 * q) return std::string(body);
  return std::string(body.substr(q, body.size() - 2 * q));
}

std::vector<TSNode> items_of(TSNode seq) {
  std::vector<TSNode> out;
  auto t = type(seq);
  if (t != "list" && t != "tuple" && t != "expression_list") return out;
  for (TSNode n : named_children(seq))
    if (type(n) != "comment") out.push_back(n);
  return out;
}

std::vector<TSNode> unpacked_names(TSNode target) {
  std::vector<TSNode> out;
  auto t = type(target);
  if (t != "pattern_list" && t != "tuple_pattern" && t != "list_pattern") return out;
  for (TSNode n : named_children(target)) {
    if (type(n) == "comment") continue;
    if (type(n) != "identifier") return {};
    out.push_back(n);
  }
  return out;
}

std::vector<TSNode> items_or_self(TSNode n) {
  std::vector<TSNode> items = items_of(n);
  if (items.empty()) items.push_back(n);
  return items;
}

TSNode keyword_argument(const ModuleContext& c, TSNode arglist, std::string_view name) {
  for (TSNode a : named_children(arglist))
    if (type(a) == "keyword_argument" && text(c, field(a, "name")) == name) return a;
  return TSNode{};
}

bool is_block_stmt(std::string_view t) {
  return t == "if_statement" || t == "try_statement" || t == "with_statement" ||
         t == "else_clause" || t == "elif_clause" || t == "except_clause" ||
         t == "finally_clause" || t == "block" || t == "for_statement" || t == "while_statement";
}

}  // namespace flakegrab::extractor
