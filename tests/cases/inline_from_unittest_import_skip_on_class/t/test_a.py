from unittest import TestCase, skip
@skip("whole class")
class Things(TestCase):
    def test_a(self): pass
    def test_b(self): pass
