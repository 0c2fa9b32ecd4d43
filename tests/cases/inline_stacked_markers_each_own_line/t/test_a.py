import pytest
@pytest.mark.skip(reason='a')
@pytest.mark.slow
@pytest.mark.xfail
def test_s(): pass
