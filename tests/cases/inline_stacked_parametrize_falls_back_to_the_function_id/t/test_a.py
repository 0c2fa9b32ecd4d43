import pytest
@pytest.mark.parametrize('p', [pytest.param(1, marks=pytest.mark.skip, id='one')])
@pytest.mark.parametrize('q', ['x', 'y'])
def test_p(p, q): pass
