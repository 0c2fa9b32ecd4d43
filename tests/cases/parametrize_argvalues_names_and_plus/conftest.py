import pytest


@pytest.fixture(params=["p", "q"])
def engine(request):
    return request.param
