import pytest


@pytest.mark.parametrize("b", [0])
class Base:
    def test_inherited(self, b, s, m):
        pass
