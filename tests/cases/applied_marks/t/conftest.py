import sys

import pytest


@pytest.fixture
def flaky_backend(request):
    if sys.platform == "darwin":
        request.node.add_marker(pytest.mark.xfail(reason="backend flaky on macOS", strict=False))
    return "backend"


@pytest.fixture
def uses_backend(flaky_backend):
    return flaky_backend


@pytest.fixture
def adds_a_skip_mark(request):
    # pytest reads skip marks before fixtures are set up: this one skips nothing.
    mark = pytest.mark.skip(reason="too late to skip")
    request.applymarker(mark)
    yield


@pytest.fixture
def needs_db():
    value = None
    try:
        import sqlite3
    except ImportError:
        pytest.skip("no sqlite3")
    yield value
