import pytest

MARKED = [1, pytest.param(2, marks=pytest.mark.xfail(reason="two"))]
