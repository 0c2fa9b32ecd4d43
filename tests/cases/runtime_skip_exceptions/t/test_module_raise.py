import sys
import unittest

if not sys.platform.startswith("linux"):
    raise unittest.SkipTest("linux only")

try:
    import _testcapi
except ImportError:
    raise unittest.SkipTest("needs _testcapi")


def test_a():
    pass
