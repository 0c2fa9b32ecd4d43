from pytest import skip as bail, xfail
import pytest as pt
def test_a():
    x = 1
    if x:
        bail("aliased")
def test_b():
    pt.xfail("through the module alias")
def test_c():
    return [y for y in range(3)]
