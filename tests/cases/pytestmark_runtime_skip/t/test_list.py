import pytest

# Evaluated at import: pytest.skip raises before pytestmark is ever read.
pytestmark = [pytest.mark.slow, pytest.skip("whole module", allow_module_level=True)]


def test_a():
    pass


def test_b():
    pass
