import pytest, sys
def test_r():
    if sys.platform == "win32":
        pytest.skip("no windows")
    pytest.xfail("known DCOS-7")
