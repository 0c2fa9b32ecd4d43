import pytest


class A:
    pytestmark = [pytest.mark.xfail(reason="A")]

    def test_a(self):
        pass


class B(A):
    pytestmark = pytest.mark.skip(reason="B")


class C(A):
    # C comes before A in TestD's MRO (C3), so this test_a is the one collected; a depth-first
    # walk (D, B, A, C) would take A's.
    @pytest.mark.flaky
    def test_a(self):
        pass


class TestD(B, C):
    pass
