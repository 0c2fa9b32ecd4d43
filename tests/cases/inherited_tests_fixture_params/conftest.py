import pytest


@pytest.fixture(params=["python", pytest.param("pyarrow", marks=pytest.mark.skipif(True, reason="no pyarrow"))])
def string_storage(request):
    return request.param
