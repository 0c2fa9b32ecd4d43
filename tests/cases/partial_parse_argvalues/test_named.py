import pytest

from cases import MARKED

# A marked set from a list of another module: the other parametrize's ids name the items it
# is recorded on, so no display of this file is left out.


@pytest.mark.parametrize("a", MARKED)
@pytest.mark.parametrize("b", ["x", "y"])
def test_stacked(a, b):
    pass


@pytest.mark.parametrize("c", [10, 20])
def test_plain_here(c):
    pass
