import pytest

ENGINES = [
    "python",
    pytest.param("numexpr", marks=[pytest.mark.xfail(reason="GH-1 numexpr rounding")]),
]


@pytest.fixture
def dtype(string_storage):
    return string_storage


@pytest.fixture(params=ENGINES, name="engine")
def _engine(request):
    return request.param


@pytest.fixture(
    params=(
        pytest.param(backend, marks=[pytest.mark.skipif(backend == "gpu", reason="no gpu")])
        for backend in ["cpu", "gpu"]
    )
)
def backend(request):
    return request.param
