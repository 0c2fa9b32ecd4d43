import pytest

@pytest.mark.skip(reason="r")
class TestX:
    def test_a(self): pass
    def test_b(self): pass
    def helper(self): pass
