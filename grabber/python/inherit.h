#pragma once
// What a class gets from its in-tree ancestors, as pytest collects it: its MRO (C3 over the
// tree's classes, outside bases as leaves), whether it is a unittest.TestCase, an inherited
// `__test__` or `__init__`, the ancestors' class marks, and the test methods it inherits.
#include <optional>
#include <string>
#include <vector>

#include "grabber/python/internals.h"

namespace flakegrab::extractor {

struct InheritedMark {
  MarkCall call;
  std::string via;  // "file::Class" of the ancestor that carries it
};

struct InheritedTest {
  std::string name;
  std::string via;                    // "file::Class" of the ancestor that defines it, or empty
  std::vector<MarkCall> marks;        // its decorators' marks
  std::vector<std::string> requests;  // the fixtures it requests
  std::vector<MarkCall> param_marks;  // of the pytest.params of its parametrize decorators
};

struct InheritedClass;

struct ClassView {
  bool testcase = false;               // an outside base of the MRO is a `*TestCase`
  bool has_init = false;               // an in-tree class of the MRO defines `__init__`
  std::optional<bool> dunder_test;     // of the first class of the MRO that sets it literally
  std::vector<InheritedMark> marks;    // the ancestors' decorators and pytestmark, nearest first
  std::vector<InheritedTest> tests;    // inherited methods that are tests, MRO order
  bool parametrized_ancestor = false;  // an ancestor's decorators or pytestmark parametrize
  // Runtime skips of the setup methods pytest runs for the class (runs_setup_method) that an
  // in-tree ancestor defines: the first definition in the MRO after the class's own, and the
  // next one's while each calls `super()`'s. The class's own are read from its body.
  std::vector<InheritedMark> setup_skips;
  // The fixtures of the in-tree classes of the MRO that define any, the class's own first.
  std::vector<ClassFixtures> fixtures;
  // Classes an in-tree ancestor's body defines that no class before it in the MRO hides: pytest
  // collects them as this class's attributes (`TestSub::TestNested::test_x`).
  std::vector<InheritedClass> classes;
};

// A nested class known from its module's summary: everything it has, its own tests and class
// marks included (`via` the ancestor whose body defines it), seen as `view_class` sees one.
struct InheritedClass {
  std::string name;
  std::string via;  // "file::Outer" of the ancestor whose body defines it
  ClassView view;
};

// The view of the module-level class `name` defined at `line` in this module (c.self); nullopt
// when this module's summary holds no such class (a nested class, a shadowed definition).
std::optional<ClassView> view_class(const ModuleContext& c, const std::string& name, int line);

// The whole view (its own tests and marks included) of the in-tree class `qualified` names, as
// this module imports it; nullopt when it is no class of the tree.
std::optional<ClassView> view_imported_class(const ModuleContext& c, const std::string& qualified);

// The in-tree module-level function `qualified` names, as this module imports it, seen as an
// inherited test (`via` empty); nullopt when it is no function of the tree, or a fixture.
std::optional<InheritedTest> view_imported_function(const ModuleContext& c,
                                                    const std::string& qualified);

}  // namespace flakegrab::extractor
