from xr.tests._star import *


@requires_dask
def test_only_star():
    pass
