import pytest
@pytest.mark.parametrize(("a",), [1, pytest.param(2, marks=pytest.mark.xfail)], ids=["one", "two"])
def test_p(a): pass
