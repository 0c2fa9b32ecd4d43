# pandas' shape: a root conftest's fixture whose params carry marks; every test that requests
# it, directly or through other fixtures, carries them.
import pytest

from helpers.decorators import skip_if_no


@pytest.fixture(params=["python", pytest.param("pyarrow", marks=skip_if_no("pyarrow"))])
def string_storage(request):
    return request.param


@pytest.fixture(params=[True, False])
def unmarked(request):
    return request.param
