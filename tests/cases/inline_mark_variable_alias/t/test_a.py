import pytest as pt
m = pt.mark
@m.xfail
def test_a(): pass
