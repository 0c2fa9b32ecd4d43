import pytest

from helpers import on_windows

# Marks pytest knows nothing of whose name says mute: a conftest hook acts on them. Recorded
# as kind custom; their positionals mean what the hook says, so they are not read as a reason.


@pytest.mark.skip_on_windows
def test_windows():
    pass


@pytest.mark.skip_xp_backends("numpy", reason="no complex support")
def test_xp():
    pass


@pytest.mark.quarantine
def test_quarantine():
    pass


@pytest.mark.gpu_skip
def test_gpu():
    pass


@pytest.mark.xfail_on_pypy
def test_pypy():
    pass


@pytest.mark.arm_xfail
def test_arm():
    pass


@pytest.mark.known_failure("the positional is no reason")
def test_known():
    pass


@pytest.mark.flaky_network
def test_network():
    pass


@pytest.mark.muted(ticket="ABC-1")
def test_muted():
    pass


# Not mute names: nothing.
@pytest.mark.slow
@pytest.mark.mutex_lock
@pytest.mark.skipper
def test_plain():
    pass


# Through an alias of a helper module, and on a class.
@on_windows
def test_alias():
    pass


@pytest.mark.quarantined
class TestQuarantined:
    def test_a(self):
        pass

