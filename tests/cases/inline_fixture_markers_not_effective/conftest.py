import pytest
@pytest.fixture(scope="module")
@pytest.mark.skip
def server(): pass
