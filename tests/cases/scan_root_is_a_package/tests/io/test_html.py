import scan_root_is_a_package.util._test_decorators as td
from scan_root_is_a_package.util._test_decorators import skip_if_32bit

from ...util import _test_decorators as rel


@td.skip_if_no("bs4")
def test_bs4():
    pass


@skip_if_32bit
def test_wide():
    pass


@rel.skip_if_32bit
def test_relative():
    pass


def test_plain():
    pass
