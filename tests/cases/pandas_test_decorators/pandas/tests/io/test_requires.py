# Mentions no marker name: the prefilter alone would drop it.
from pandas.util._test_decorators import requires_scipy


@requires_scipy
def test_optimize():
    pass
