import pytest


class BaseChecks:
    @pytest.mark.parametrize("n", [pytest.param(0, marks=pytest.mark.skip(reason="zero")), 1])
    def test_base(self, n):
        pass
