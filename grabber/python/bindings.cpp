// Import and alias bindings: which names stand for pytest, pytest.mark, unittest, or a marker.
#include "grabber/python/internals.h"

namespace flakegrab::extractor {

void scan_bindings(Ctx& c, TSNode n, int depth) {
  if (depth > kMaxDepth) return;
  auto t = type(n);
  if (t == "import_statement") {
    for (uint32_t i = 0; i < ts_node_named_child_count(n); ++i) {
      TSNode ch = ts_node_named_child(n, i);
      std::string mod, as;
      if (type(ch) == "aliased_import") {
        mod = text(c, field(ch, "name"));
        as = text(c, field(ch, "alias"));
      } else {
        mod = as = text(c, ch);
      }
      if (mod == "pytest") c.pytest_names.insert(as);
      // `import unittest.mock` binds `unittest` too.
      if (mod == "unittest" || (as == mod && mod.starts_with("unittest.")))
        c.unittest_names.insert(as == mod ? "unittest" : as);
    }
  } else if (t == "import_from_statement") {
    std::string mod = text(c, field(n, "module_name"));
    for (uint32_t i = 0; i < ts_node_named_child_count(n); ++i) {
      TSNode ch = ts_node_named_child(n, i);
      if (ts_node_eq(ch, field(n, "module_name"))) continue;
      std::string name, as;
      if (type(ch) == "aliased_import") {
        name = text(c, field(ch, "name"));
        as = text(c, field(ch, "alias"));
      } else if (type(ch) == "dotted_name") {
        name = as = text(c, ch);
      } else {
        continue;
      }
      if (mod == "pytest" && name == "mark") {
        c.mark_names.insert(as);
      } else if (mod == "pytest" || mod == "unittest" || mod.starts_with("flaky") ||
                 mod.starts_with("unittest.")) {
        c.imported.insert(as);
        c.name_alias[as] = name;
      }
    }
  } else if (t == "expression_statement") {
    TSNode a = ts_node_named_child(n, 0);
    if (type(a) == "assignment") {
      TSNode left = field(a, "left"), right = field(a, "right");
      if (!ts_node_is_null(left) && !ts_node_is_null(right) && type(left) == "identifier") {
        std::string name = text(c, left);
        auto v = chain(c, right);
        if (v.size() == 2 && c.pytest_names.count(v[0]) && v[1] == "mark") {
          c.mark_names.insert(name);
        } else if (name != "pytestmark") {
          if (auto m = as_marker(c, right)) c.marker_aliases[name] = *m;
        }
      }
    }
  } else if (t == "class_definition") {
    c.classes.emplace(text(c, field(n, "name")), field(n, "superclasses"));
  } else if (t == "decorated_definition") {
    scan_bindings(c, field(n, "definition"), depth + 1);
  } else if (is_block_stmt(t) || t == "module") {
    for (uint32_t i = 0; i < ts_node_named_child_count(n); ++i)
      scan_bindings(c, ts_node_named_child(n, i), depth + 1);
  }
}

}  // namespace flakegrab::extractor
