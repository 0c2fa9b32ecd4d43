import sys
import unittest

import pytest

from base import ClassSkipBase, NetworkBase


class TestOwnSetUp(unittest.TestCase):
    def setUp(self):
        if sys.platform == "win32":
            raise unittest.SkipTest("posix only")

    def test_a(self):
        pass


class TestInherits(NetworkBase):
    # The base's setUp runs for this class's tests, its own and inherited ones.
    def test_b(self):
        pass


class TestOverrides(NetworkBase):
    # A setUp that does not call the base's: the base's skip never runs.
    def setUp(self):
        self.x = 1
        self.y = 2

    def test_c(self):
        pass


class TestExtends(NetworkBase):
    def setUp(self):
        self.x = 1
        super().setUp()
        if self.x:
            pytest.skip("own")

    def test_d(self):
        pass


class TestExtendsQuietly(NetworkBase):
    # No skip of its own: the partial parse must still read that it calls the base's setUp.
    def setUp(self):
        self.x = 1
        super(TestExtendsQuietly, self).setUp()

    def test_k(self):
        pass


class TestClassSkip(ClassSkipBase):
    def test_e(self):
        pass


class TestPlain:
    def setup_method(self, method):
        pytest.importorskip("numpy")

    def setUp(self):
        # pytest calls setUp on unittest TestCases only.
        pytest.skip("never called")

    def test_f(self):
        pass

    class TestNested:
        # A nested class does not run the outer class's setup_method.
        def test_g(self):
            pass


class TestSetupClass:
    @classmethod
    def setup_class(cls):
        if sys.maxsize < 2**32:
            pytest.skip("64-bit only")

    def test_h(self):
        pass
