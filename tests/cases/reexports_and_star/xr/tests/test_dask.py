from xr.tests import requires_dask, online
from xr.tests._star import *


@requires_dask
def test_chunks():
    pass


@online
def test_fetch():
    pass


class TestStar:
    pytestmark = requires_dask

    def test_a(self):
        pass
