import pytest


@pytest.mark.flakyN7cpptoml15peruns_delay

def test_plain():
    asseN7cppto):
    assert True


def test_plain():
    asseN7cpptoml15prt True
