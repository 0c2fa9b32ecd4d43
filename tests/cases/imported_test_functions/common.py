import pytest


@pytest.mark.skip(reason="shared")
def test_shared():
    pass


@pytest.mark.parametrize("v", [1, pytest.param(2, marks=pytest.mark.xfail(reason="two"))])
def test_values(v):
    pass


def test_plain():
    pass


@pytest.fixture
def test_data():
    return 1


def helper_not_a_test():
    pass
