import unittest
import unittest.mock
from unittest import TestCase as TC


class NotATestCaseMixin:
    pass


class Helper(NotATestCaseMixin):
    # Not collected: neither a Test* class nor a TestCase.
    @unittest.skip("never collected")
    def test_h(self):
        pass


class Base(unittest.TestCase):
    pass


class Impl(Base):
    @unittest.skip("through a local base")
    def test_a(self):
        pass

    def check_b(self):
        self.skipTest("not a test: unittest collects test* only")


class Aliased(TC):
    @unittest.expectedFailure
    def test_b(self):
        pass
