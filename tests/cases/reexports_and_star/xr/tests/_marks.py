import pytest

requires_dask = pytest.mark.skipif(True, reason="requires dask")
network = [pytest.mark.flaky(reruns=3), pytest.mark.skipif("not NETWORK", reason="offline")]
