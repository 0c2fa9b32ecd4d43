import pytest

from tests.extension import base


@pytest.fixture
def dtype(string_storage):
    return string_storage


class TestDtype(base.BaseDtypeTests):
    pass
