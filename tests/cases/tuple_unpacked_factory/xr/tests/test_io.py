import pytest

from xr.tests import (
    both,
    has_scipy,
    plain,
    requires_nosuchmod,
    requires_scipy,
    second,
    slow_xfail,
)


@requires_scipy
def test_scipy():
    pass


@requires_nosuchmod
class TestBackend:
    def test_open(self):
        pass


@pytest.mark.skipif(not has_scipy, reason="written out")
def test_written():
    pass


@second
def test_second():
    pass


@slow_xfail
def test_slow():
    pass


class TestBoth:
    pytestmark = both

    def test_both(self):
        pass


def test_plain():
    assert plain == 3


# Unpacked in the test module itself.
def _local():
    return True, pytest.mark.xfail(reason="local")


ok, local_xfail = _local()
skip_alias, xfail_alias = pytest.mark.skip, pytest.mark.xfail


@skip_alias(reason="alias")
def test_alias():
    pass


@xfail_alias
def test_xfail_alias():
    pass


@local_xfail
def test_local():
    pass


@pytest.mark.parametrize("x", [pytest.param(1, marks=requires_nosuchmod), 2])
def test_param(x):
    pass
