import pytest
class TestX:
    pytestmark = [pytest.mark.xfail, pytest.mark.slow, pytest.mark.skip]
    def test_a(self): pass
