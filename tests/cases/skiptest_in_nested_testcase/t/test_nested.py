import sys
import unittest


def test_runs_an_inner_suite():
    # self.skipTest skips Inner.test_inner inside the suite this test runs; the outer test
    # passes (pytest does not collect a class defined inside a function).
    class Inner(unittest.TestCase):
        def test_inner(self):
            self.skipTest("skips Inner.test_inner only")

        @classmethod
        def setUpClass(cls):
            raise unittest.SkipTest("skips Inner only")

    result = unittest.TextTestRunner().run(
        unittest.defaultTestLoader.loadTestsFromTestCase(Inner))
    assert result.wasSuccessful()


class TestOuter(unittest.TestCase):
    def test_own_skip(self):
        if sys.maxsize < 2**32:
            self.skipTest("this one is the test's own")
