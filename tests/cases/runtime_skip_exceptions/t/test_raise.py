import sys
import unittest
from unittest import SkipTest as ST

import pytest


def test_unittest_skiptest():
    raise unittest.SkipTest("no network")


def test_pytest_skip_exception():
    if sys.platform == "win32":
        raise pytest.skip.Exception("not on windows")


def test_aliased_skiptest():
    value = 1
    raise ST


def test_other_raise():
    value = 1
    raise ValueError("not a skip")


def helper():
    raise unittest.SkipTest("a helper is no test")


class TestK(unittest.TestCase):
    def test_m(self):
        if not hasattr(sys, "getrefcount"):
            raise unittest.case.SkipTest("needs refcounts") from None


def test_needs_numpy():
    try:
        import numpy
    except ImportError:
        raise unittest.SkipTest("no numpy")
    else:
        pytest.skip("the else clause runs when nothing was raised")


def test_nested_conditions():
    if sys.platform == "linux":
        if not hasattr(sys, "getrefcount"):
            pytest.skip("both conditions")
    elif sys.platform == "darwin":
        pytest.skip("the elif's own test")
    else:
        try:
            import resource
        except ImportError:
            pytest.skip("in an else and an except")
