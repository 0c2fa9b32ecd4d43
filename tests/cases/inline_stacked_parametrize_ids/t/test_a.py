import pytest
@pytest.mark.parametrize('p', [pytest.param(1, marks=pytest.mark.skip, id='one')])
@pytest.mark.parametrize('q', ['x', 'y'])
def test_p(p, q): pass


# A value whose id is not known here (a name): the marked set falls back to the function id.
VALUE = object()
@pytest.mark.parametrize('p', [pytest.param(1, marks=pytest.mark.xfail)])
@pytest.mark.parametrize('q', [VALUE, 2])
def test_fallback(p, q): pass


# Three stacked: one id of each, nearest decorator first; marks on two of them.
@pytest.mark.parametrize('a', [1, pytest.param(2, marks=pytest.mark.xfail(reason="a"))])
@pytest.mark.parametrize('b', [3, 4])
@pytest.mark.parametrize('c', [pytest.param(5, marks=pytest.mark.skip(reason="c")), 6])
def test_three(a, b, c): pass
