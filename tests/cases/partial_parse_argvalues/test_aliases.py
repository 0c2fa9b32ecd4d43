import pytest
from pytest import mark

# `mark.parametrize` is not the spelling the lexical pass knows: the whole file is parsed.


@mark.parametrize("a", [pytest.param(1, marks=mark.skip(reason="a")), 2])
@pytest.mark.parametrize("b", [3, 4])
def test_both(a, b):
    pass
