import sys
import unittest

if not sys.platform.startswith("linux"):
    raise unittest.SkipTest("linux only")

try:
    import _testcapi
except ImportError:
    raise unittest.SkipTest("needs _testcapi")

if sys.platform == "win32":
    WINDOWS = True
else:
    if not hasattr(sys, "getrefcount"):
        raise unittest.SkipTest("needs refcounts")


def test_a():
    pass
