#pragma once
// Whether a helper module's code can give a mark, read lexically: the link step's re-export
// check (ModuleIndex::imports_marks) asks it of the modules a test file imports before it
// would parse them.
#include <string_view>

#include "grabber/grabber.h"

namespace flakegrab::python {

// Whether the code of `source` (not its comments or strings, but an f-string's fields) holds an
// identifier that names a mark: a configured marker name, `SkipTest` when skipTest is configured
// (what `raise unittest.SkipTest` spells), `add_marker`/`applymarker` (whose mark may be a
// string), or a name that says mute (extractor::mute_kind). A mark a helper gives is always
// spelled so in code; a docstring's "skip NaN values", a parameter `skipna` or pandas'
// `# isort:skip` give none. True when the pass is in doubt (a string that does not end).
bool code_names_mark(std::string_view source, const ScanConfig& config);

}  // namespace flakegrab::python
