import pytest
@pytest.mark.skip
def test_a(): pass
@pytest.mark.xfail
def test_a(): pass
class TestB:
    pytestmark = pytest.mark.skip
    def test_b(self): pass
class TestB:
    def test_b(self): pass
if True:
    @pytest.mark.skip
    def test_c(): pass
else:
    @pytest.mark.skip
    def test_c(): pass
