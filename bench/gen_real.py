"""The real-shaped profile of bench/gen_tree.py: a test tree built like pandas' or CPython's.

What makes real suites expensive and hard, as measured on numpy, pandas and CPython:
- most test files mention `skip`/`xfail` somewhere (importorskip, a conditional pytest.skip in
  a helper, comments), while few of their tests carry a mark, so a prefilter passes most files;
- mutes are defined once in helper modules and imported (`import tests.support as td` then
  `@td.skip_if_no("scipy")`, `@support.requires_subprocess()`), and tests are shared through base
  classes and mixins (`class TestImpl(BaseRoundTripTests, NetworkMixin)`);
- files are large: one in twenty-five is a 5,000-line module, and a 50-test class may hold a
  single marked test.
Everything is drawn from one seeded RNG, so a file count always gives the same commit.
"""

# Every spelling of a mute the profile writes, for the `git grep -c -E` baseline: what a user
# grepping a real tree for mutes would search.
PATTERN = r"(skip|xfail|flaky|expectedFailure)"

SUPPORT = '''"""Shared skips and decorators for the test suite (like pandas.util._test_decorators)."""
import importlib
import sys
import unittest

import pytest


def _missing(pkg):
    try:
        importlib.import_module(pkg)
    except ImportError:
        return True
    return False


def skip_if_no(package, min_version=None):
    """A mark skipping the test when `package` is not importable."""
    return pytest.mark.skipif(_missing(package), reason=f"Could not import '{package}'")


def xfail_if_platform(platform):
    return pytest.mark.xfail(sys.platform == platform, reason=f"fails on {platform}")


skip_if_windows = pytest.mark.skipif(sys.platform == "win32", reason="Running on Windows")
skip_if_no_network = pytest.mark.skipif(_missing("socket"), reason="no network")
slow = pytest.mark.slow


def requires_subprocess():
    """Like CPython's test.support.requires_subprocess."""
    return unittest.skipUnless(sys.platform != "emscripten", "requires subprocess support")


def requires_resource(name):
    def decorator(func):
        return unittest.skipUnless(name != "gui", f"resource {name!r} is not enabled")(func)
    return decorator
'''

MIXINS = '''"""Base test classes shared by many modules (like pandas.tests.extension.base)."""
import sys

import pytest

from tests.support import skip_if_no


class NetworkMixin:
    pytestmark = [pytest.mark.skipif(sys.platform == "win32", reason="sockets differ")]

    def connect(self):
        return ("localhost", 8080)


@skip_if_no("pyarrow")
class ArrowMixin:
    engine = "pyarrow"


class BaseRoundTripTests:
{methods}
'''


def _base_methods(rng):
    lines = []
    for t in range(30):
        if t == 17:
            lines.append('    @pytest.mark.xfail(reason="GH-4242: precision loss")')
        lines.append(f"    def test_roundtrip_{t}(self):")
        lines.append(f"        value = self.make({rng.randint(0, 10**6)})")
        lines.append("        assert self.load(self.dump(value)) == value")
        lines.append("")
    return "\n".join(lines)


def helper_files(rng):
    """(path, text) of the helper modules every test module may import."""
    return [
        ("tests/__init__.py", ""),
        ("tests/support/__init__.py", SUPPORT),
        ("tests/support/mixins.py", MIXINS.format(methods=_base_methods(rng))),
        ("tests/conftest.py",
         "import pytest\n\n\ndef pytest_addoption(parser):\n"
         "    parser.addoption('--runslow', action='store_true')\n\n\n"
         "def pytest_collection_modifyitems(config, items):\n"
         "    if config.getoption('--runslow'):\n        return\n"
         "    skip_slow = pytest.mark.skip(reason='need --runslow')\n"
         "    for item in items:\n        if 'slow' in item.keywords:\n"
         "            item.add_marker(skip_slow)\n"),
    ]


# Marks on one test: literal ones and the imported helpers, as real suites mix them.
TEST_MARKS = [
    '@pytest.mark.xfail(reason="GH-{n}: flaky on CI", strict=False)',
    '@pytest.mark.skipif(sys.platform == "darwin", reason="GH-{n}")',
    '@td.skip_if_no("scipy")',
    '@td.skip_if_no("pyarrow", min_version="7.0")',
    "@td.skip_if_windows",
    '@td.xfail_if_platform("win32")',
    "@td.requires_subprocess()",
    '@pytest.mark.xfailflake(jira="DCOS-{n}", reason="timeout", since="2019-01-25")',
]
MARKED_TEST_RATE = 0.03
MENTIONS_SKIP_RATE = 0.6   # files that mention skip without (necessarily) muting anything
LARGE_FILE_RATE = 0.04     # 5,000-line modules
CLASS_FILE_RATE = 0.4
INHERITING_FILE_RATE = 0.12


def _test(rng, lines, indent, name, n, marked):
    if marked:
        lines.append(indent + rng.choice(TEST_MARKS).format(n=n))
    if rng.random() < 0.1:
        lines.append(f'{indent}@pytest.mark.parametrize("dtype", ["int64", "float64", "object"])')
        args = "self, dtype" if indent else "dtype"
    else:
        args = "self" if indent else "tmp_path"
    lines.append(f"{indent}def {name}({args}):")
    lines.append(f'{indent}    """Case {n}."""')
    lines.append(f"{indent}    result = compute({rng.randint(0, 10**6)}, retries={rng.randint(1, 5)})")
    for k in range(rng.randint(3, 20)):
        lines.append(f"{indent}    assert result + {k} > {k - 1}, \"step {k}\"")
    lines.append("")


def test_file(rng, index):
    """One test module: imports, mentions of skip, functions, classes, maybe an inherited base."""
    large = rng.random() < LARGE_FILE_RATE
    lines = [f'"""Tests for feature {index}."""', "import sys", "", "import pytest", "",
             "import tests.support as td", "from app.core import compute"]
    if rng.random() < INHERITING_FILE_RATE:
        lines.append("from tests.support.mixins import ArrowMixin, BaseRoundTripTests, NetworkMixin")
        lines += ["", "", f"class TestRoundTrip{index}(BaseRoundTripTests, NetworkMixin):",
                  "    def make(self, v):", "        return v", ""]
        if rng.random() < 0.5:
            lines += [f"class TestArrowRoundTrip{index}(ArrowMixin, BaseRoundTripTests):",
                      "    def make(self, v):", "        return v", ""]
    if rng.random() < MENTIONS_SKIP_RATE:
        lines += ["", "", "def _needs_backend(name):",
                  "    if name not in ('c', 'python'):",
                  "        pytest.skip(f'backend {name} not built')  # skip, not fail", ""]
    n_tests = rng.randint(180, 300) if large else rng.randint(5, 40)
    t = 0
    while t < n_tests:
        n = index * 1000 + t
        if rng.random() < CLASS_FILE_RATE:
            size = 50 if large else rng.randint(3, 15)
            lines += ["", f"class TestGroup{t}:"]
            marked_one = rng.randrange(size) if rng.random() < 0.5 else -1
            for k in range(size):
                _test(rng, lines, "    ", f"test_case_{t + k}", n + k,
                      k == marked_one or rng.random() < MARKED_TEST_RATE / 3)
            t += size
        else:
            lines.append("")
            _test(rng, lines, "", f"test_case_{t}", n, rng.random() < MARKED_TEST_RATE)
            t += 1
    return "\n".join(lines) + "\n"


def test_path(i):
    return f"tests/area{i % 60:02d}/test_feature{i:06d}.py"


def helper_change(n):
    """Change number n to the helper module: a new factory and a changed reason."""
    return SUPPORT.replace("Running on Windows", f"Running on Windows ({n})") + (
        f"\n\ndef skip_if_change_{n}():\n"
        f"    return pytest.mark.skip(reason='change {n}')\n")
