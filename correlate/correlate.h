#pragma once
// Public interface of correlate/: flake history (bundles, JUnit XML) joined with markers.
#include "correlate/bundle.h"         // IWYU pragma: export
#include "correlate/bundle_build.h"   // IWYU pragma: export
#include "correlate/fetch.h"          // IWYU pragma: export
#include "correlate/flaky_report.h"   // IWYU pragma: export
#include "correlate/history.h"        // IWYU pragma: export
#include "correlate/junit.h"          // IWYU pragma: export
#include "correlate/report.h"         // IWYU pragma: export
#include "correlate/test_identity.h"  // IWYU pragma: export
#include "correlate/verdict.h"        // IWYU pragma: export
