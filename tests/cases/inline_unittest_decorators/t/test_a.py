import unittest, sys
class T(unittest.TestCase):
    @unittest.skip("r1")
    def test_a(self): pass
    @unittest.skipIf(sys.version_info < (3, 8), "old")
    def test_b(self): pass
    @unittest.skipUnless(sys.platform.startswith("linux"), "linux only")
    def test_c(self): pass
    @unittest.expectedFailure
    def test_d(self): pass
