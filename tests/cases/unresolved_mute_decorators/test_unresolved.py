import pytest
import retrying
import tenacity
from tenacity import retry

from ci_helpers import (flaky_test, known_failure, mute_on_ci, mutex_guard, quarantined,
                        rerun_on_failure, skip_if_no_gpu, skip_on_windows, skipIfNoNetwork,
                        slow)

from helpers import xfail_if_old, requires_gpu


@skip_if_no_gpu
def test_bare():
    pass


@skip_if_no_gpu("cuda")
def test_called():
    # The positional is the factory's, not a reason.
    pass


@known_failure(reason="bug 12")
def test_known():
    pass


@quarantined
@mute_on_ci
def test_two():
    pass


@tenacity.retry(stop=tenacity.stop_after_attempt(3))
def test_tenacity():
    pass


@retrying.retry
def test_retrying():
    pass


@retry
def test_retry():
    pass


@rerun_on_failure(2)
@flaky_test
def test_reruns():
    pass


@slow
@mutex_guard
def test_not_mute():
    pass


@skipIfNoNetwork
def test_unittest_style():
    pass


@xfail_if_old
def test_in_tree_but_opaque():
    # helpers.xfail_if_old decides at run time: nothing the link step can read.
    pass


@requires_gpu
def test_alias_of_outside_factory():
    pass


@skip_on_windows
class TestClassLevel:
    def test_a(self):
        pass


skip_pyarrow = pytest.mark.usefixtures("pyarrow_skip")


@skip_pyarrow
def test_known_mark_not_a_marker():
    # pandas' shape: resolved to pytest.mark.usefixtures, no marker whatever its name says.
    pass
