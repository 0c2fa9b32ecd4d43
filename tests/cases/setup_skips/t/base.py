import sys
import unittest


class NetworkBase(unittest.TestCase):
    def setUp(self):
        if not hasattr(sys, "getrefcount"):
            self.skipTest("needs refcounts")

    def test_shared(self):
        pass


class ClassSkipBase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        raise unittest.SkipTest("whole class")
