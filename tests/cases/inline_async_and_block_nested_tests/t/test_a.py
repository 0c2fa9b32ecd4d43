import pytest, sys
if sys.platform != "win32":
    @pytest.mark.skip
    async def test_a(): pass
else:
    @pytest.mark.skip
    def test_b(): pass
try:
    import x
except ImportError:
    class TestC:
        @pytest.mark.xfail
        def test_c(self): pass
