import pytest
pytestmark = (pytest.mark.skipif("sys.platform == 'win32'"), pytest.mark.flaky(reruns=3))
def test_a(): pass
class TestY:
    def test_b(self): pass
