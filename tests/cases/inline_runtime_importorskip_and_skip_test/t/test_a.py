import pytest, unittest
class TestU(unittest.TestCase):
    def test_a(self):
        self.skipTest("later")
    def test_b(self):
        pytest.importorskip("numpy")
