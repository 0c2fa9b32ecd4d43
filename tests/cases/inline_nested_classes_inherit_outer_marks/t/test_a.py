import pytest
@pytest.mark.xfail
class TestOuter:
    class TestInner:
        @pytest.mark.skip
        def test_a(self): pass
