import pytest

from base import Base

# pytest joins ids: the test's own parametrizes (nearest decorator first), then its class's
# (pytestmark list, then decorators nearest first), inner classes before outer ones, then the
# module's pytestmark.
pytestmark = [pytest.mark.parametrize("m", [7, pytest.param(8, marks=pytest.mark.xfail(reason="m"))])]


@pytest.mark.parametrize("d", [pytest.param(3, marks=pytest.mark.skip(reason="d")), 4])
class TestOuter:
    pytestmark = pytest.mark.parametrize("p", [5])

    @pytest.mark.parametrize("f", [pytest.param(1, marks=pytest.mark.skip(reason="f"))])
    def test_a(self, d, p, f, m):
        pass

    class TestInner:
        def test_b(self, d, p, m):
            pass


def test_module_only(m):
    pass


# Inherited tests keep the function id (their own parametrize is not read); so do a
# subclass's own tests when an in-tree ancestor is parametrized.
@pytest.mark.parametrize("s", [pytest.param(9, marks=pytest.mark.skip(reason="s"))])
class TestSub(Base):
    def test_own(self, s, b, m):
        pass


# A fixture of the class with params= joins its ids to its tests' (`[x-...]`): the function id.
class TestClassFixture:
    @pytest.fixture(params=["x", "y"])
    def flavor(self, request):
        return request.param

    @pytest.mark.parametrize("v", [pytest.param(1, marks=pytest.mark.skip(reason="v"))])
    def test_v(self, flavor, v, m):
        pass
