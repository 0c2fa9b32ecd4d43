import sys
import unittest

import pytest


def setUpModule():
    if not sys.platform.startswith("linux"):
        raise unittest.SkipTest("linux only")


def setup_module():
    # pytest runs the first of setUpModule and setup_module the module defines.
    pytest.skip("not run: setUpModule comes first")


def setup_function(function):
    value = 1
    pytest.importorskip("numpy")


def test_i():
    pass


class TestJ:
    def test_j(self):
        pass
