import pytest
xf = pytest.mark.xfailflake
@xf(jira='A-1')
def test_a(): pass
