import pytest

xf = pytest.mark.xfail(reason="imported")

IMPORTED = [pytest.param("i", marks=xf), "j"]
