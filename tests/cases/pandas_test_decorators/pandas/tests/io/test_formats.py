import pandas.util._test_decorators as td
from pandas.util._test_decorators import skip_if_no as sin
from ...util import _test_decorators


@td.skip_if_no("scipy")
def test_scipy():
    pass


@sin("tables", min_version="3.6")
def test_tables():
    pass


@td.skip_if_32bit
def test_64():
    pass


@_test_decorators.skip_if_windows
class TestPaths:
    def test_sep(self):
        pass


@td.skip_if_no_ne
def test_numexpr():
    pass


def test_plain():
    pass
