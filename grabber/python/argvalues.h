#pragma once
// Parametrize argument lists the partial parse can leave out (grabber/python/regions.h): in a
// large test module, the list displays of `@pytest.mark.parametrize` are a tenth of the bytes
// the parse would read, and when no parameter set of a test's stack carries a mark nothing
// reported is made of them (a set's id is only read to name the items a marked set is
// recorded on).
#include <cstdint>
#include <optional>
#include <string_view>

namespace flakegrab::python {

// The bytes [begin, end) between the brackets of an argvalues display.
struct Interior {
  uint32_t begin = 0;
  uint32_t end = 0;
};

// What the decorator written in source[at, end) (from its `@`, a whole logical line) is.
struct Decorator {
  bool parametrize = false;  // written `@pytest.mark.parametrize(`
  // Its argvalues, when they are the second positional argument and a list display, or a
  // tuple display with a comma at its top, holding nothing that can carry or bind a mark: no
  // `mark`, `param` or `*`, no comprehension (`for`), no `:=`; and nothing but the other
  // arguments follows in the call, nothing after the call.
  std::optional<Interior> plain;
};
Decorator read_decorator(std::string_view source, uint32_t at, uint32_t end);

// Whether every whole word `pytest` of the source is an attribute's base (`pytest.`) or the
// name of a column-0 `import pytest` line, and there is one: `pytest.mark.parametrize` is then
// pytest's, not a helper's factory (whose call's arguments the records would quote).
bool pytest_is_plainly_imported(std::string_view source);

}  // namespace flakegrab::python
