import pytest

@pytest.mark.xfailflake(
    since="2019-01-25",
    reason="flaky",
    jira="DCOS-123",
)
def test_x(): pass
