import pytest


class Mixin:
    # Not collected on its own (not Test*): its tests are collected under Test* subclasses.
    @pytest.mark.xfail(reason="from the mixin")
    def test_from_mixin(self):
        pass

    @pytest.mark.skip(reason="a helper, not a test")
    def helper(self):
        pass


@pytest.mark.skip(reason="base class decorator")
class BaseChecks:
    pytestmark = pytest.mark.flaky

    def test_base(self):
        pass

    @pytest.mark.skipif(True, reason="overridden in TestImpl")
    def test_overridden(self):
        pass

    @pytest.mark.xfail(reason="hidden by an assignment")
    def test_hidden(self):
        pass


class TestImpl(BaseChecks, Mixin):
    # Its own test_overridden replaces the base one (no skipif); test_hidden is no method.
    def test_overridden(self):
        pass

    test_hidden = None


@pytest.mark.xfail(reason="own mark")
class TestOther(Mixin):
    pass


class Disabled:
    __test__ = False

    @pytest.mark.skip(reason="never collected")
    def test_off(self):
        pass


class TestStillDisabled(Disabled):
    # __test__ = False is inherited: pytest collects nothing here.
    pass


class TestEnabled(Disabled):
    __test__ = True
