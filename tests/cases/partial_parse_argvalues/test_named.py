import pytest

from cases import MARKED

# A marked set from a list of another module: the other parametrize's ids name the items it
# is recorded on, so no display of this group of decorators is left out.


@pytest.mark.parametrize("a", MARKED)
@pytest.mark.parametrize("b", ["x", "y"])
def test_stacked(a, b):
    pass


# Nor of one whose own set is marked, stacked on a plain list.
@pytest.mark.parametrize("d", [pytest.param(1, marks=pytest.mark.skip(reason="d")), 2])
@pytest.mark.parametrize("e", ["p", "q", "r"])
def test_inline(d, e):
    pass


# Another test's stack is its own decorators: this plain list is left out.
@pytest.mark.parametrize("c", [10, 20, 30, 40])
def test_plain_here(c):
    pass
