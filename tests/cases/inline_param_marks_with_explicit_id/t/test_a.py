import pytest
@pytest.mark.parametrize("a,b", [
    (1, 2),
    pytest.param(3, 4, id="three", marks=pytest.mark.xfail(reason="r")),
    pytest.param("x", 5, marks=[pytest.mark.skip, pytest.mark.slow]),
    pytest.param(object(), marks=pytest.mark.skip),
])
def test_p(a, b): pass
