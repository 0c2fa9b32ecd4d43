import pytest


# Overrides the root conftest's fixture for this module: no marks.
@pytest.fixture
def string_storage():
    return "python"


# A fixture requesting its own name gets the next definition outwards, marks and all.
@pytest.fixture
def engine(engine):
    return engine


def test_overridden(string_storage):
    pass


def test_wraps_outer(engine):
    pass


@pytest.mark.skip(reason="plain")
def test_plain_skip():
    pass
