import pytest

pytestmark = [pytest.mark.skip_if_no_gpu, pytest.mark.slow]


def test_one():
    pass
