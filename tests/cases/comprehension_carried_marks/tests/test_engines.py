# pandas' io/excel/test_readers.py: fixture params made by a comprehension over a list of
# pytest.params, each new param built by a module function that passes the old one's marks on.
import pytest

read_ext_params = [".xls", ".xlsx", ".ods"]
engine_params = [
    pytest.param("xlrd", marks=[pytest.mark.skipif(True, reason="no xlrd")]),
    pytest.param("odf", marks=pytest.mark.xfail(reason="odf broken")),
    pytest.param("openpyxl"),
]


def _transfer_marks(engine, read_ext):
    values = engine.values + (read_ext,)
    new_param = pytest.param(values, marks=engine.marks)
    return new_param


@pytest.fixture(
    params=[_transfer_marks(eng, ext) for eng in engine_params for ext in read_ext_params],
    ids=str,
)
def engine_and_read_ext(request):
    return request.param


def test_reads(engine_and_read_ext):
    pass


@pytest.fixture(params=[pytest.param(*p.values, marks=p.marks) for p in engine_params])
def engine(request):
    return request.param


def test_engine(engine):
    pass


@pytest.mark.parametrize("e", [p for p in engine_params])
def test_parametrized(e):
    pass


def _plain(engine):
    return engine.values[0]  # a plain value: pytest sees no marks


@pytest.fixture(params=[_plain(e) for e in engine_params])
def not_carried(request):
    return request.param


def test_not_carried(not_carried):
    pass
