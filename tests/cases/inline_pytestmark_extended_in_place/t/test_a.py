import pytest
pytestmark = [pytest.mark.skipif('x', reason='a')]
pytestmark += [pytest.mark.xfail(reason='b')]
class TestX:
    pytestmark = pytest.mark.skip
    pytestmark += [pytest.mark.flaky(reruns=2)]
    def test_m(self): pass
def test_f(): pass
