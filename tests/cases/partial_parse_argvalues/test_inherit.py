import pytest

from base_marked import BaseChecks


class TestChecks(BaseChecks):
    @pytest.mark.parametrize("m", ["p", "q"])
    def test_own(self, m):
        pass


class TestDerived(TestChecks):
    pass
