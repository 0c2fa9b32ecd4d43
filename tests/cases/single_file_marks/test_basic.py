import pytest as pt
from pytest import mark as M

xf = pt.mark.xfail(strict=False)
pytestmark = pt.mark.skipif("sys.platform == 'win32'", reason="posix only")


@M.skip(reason="broken, see ABC-12")
def test_skipped():
    pass


@xf(reason="flaky network")
def test_alias():
    pass


@pt.mark.xfail
class TestGroup:
    def test_one(self):
        pt.skip("not today")

    def helper(self):
        pass
