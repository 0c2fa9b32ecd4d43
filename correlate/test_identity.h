#pragma once
// Test identity: pytest node ids, JUnit classname+name(+file), bundle test ids, and the
// normalised forms used to match history tests to markers.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "correlate/history.h"

namespace flakegrab::correlate {

// Best pytest node id for a JUnit testcase. With `file` ("tests/test_a.py") it is exact;
// without it, leading lower-case classname parts are taken as the module path (a guess,
// which is why matching uses dotted forms).
std::string nodeid_from_junit(std::string_view classname, std::string_view name,
                              std::string_view file);

// "tests/unit/test_a.py::TestX::test_y[p1]" -> "tests.unit.test_a.TestX.test_y[p1]".
// Backslashes and a leading "./" are normalised; the parametrize id is kept verbatim.
std::string dotted_from_nodeid(std::string_view nodeid);
// "tests.unit.test_a.TestX" + "test_y[p1]" -> "tests.unit.test_a.TestX.test_y[p1]".
std::string dotted_from_junit(std::string_view classname, std::string_view name);

// Drops a trailing parametrize id: "test_y[a.b]" -> "test_y".
std::string strip_params(std::string_view id);
// Last component of a dotted form, params kept: "m.TestX.test_y[a.b]" -> "test_y[a.b]".
std::string leaf_of(std::string_view dotted);

enum class MatchKind { exact, normalized, suffix, leaf, none };
std::string_view to_string(MatchKind);
// Weak matches never justify an unmute.
inline bool is_weak(MatchKind k) {
  return k == MatchKind::leaf || k == MatchKind::none;
}

struct MarkerMatch {
  MatchKind kind = MatchKind::none;
  bool ambiguous = false;            // the best tier hit tests under different roots
  std::vector<std::size_t> history;  // indexes into History::tests
};

// Index over history tests; built once, queried per marker test id.
class IdentityIndex {
 public:
  explicit IdentityIndex(const std::vector<TestHistory>& tests);
  // Which history tests does a marker on `test_id` (node id of a test, a class or a module)
  // cover? Tiers: exact node id, normalised dotted form, dotted suffix (different rootdir),
  // unique leaf name (weak). The first tier with hits wins.
  MarkerMatch match(std::string_view marker_test_id) const;
  // How many distinct marker test ids share this leaf (set by the caller for the leaf tier).
  void set_marker_leaf_counts(const std::vector<std::string>& marker_test_ids);

  struct Entry {
    std::string key;
    std::size_t index;
  };

 private:
  std::vector<Entry> by_nodeid_, by_dotted_;  // sorted by key, for prefix scans
  std::vector<Entry> by_suffix_;              // every dotted suffix with >= 2 components
  std::vector<Entry> by_leaf_;                // param-stripped leaf
  std::vector<std::string> marker_leaves_;    // sorted, with repeats
  std::vector<std::string> dotted_;           // per history test
  const std::vector<TestHistory>& tests_;
};

}  // namespace flakegrab::correlate
