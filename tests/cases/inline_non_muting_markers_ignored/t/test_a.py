import pytest
@pytest.mark.slow
@pytest.mark.usefixtures('x')
@pytest.mark.parametrize('a', [1, 2])
def test_s(a): pass
