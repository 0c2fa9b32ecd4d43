# pandas' tests/extension/test_interval.py: a mark bound in a class body and used by its
# methods' decorators, which Python evaluates in the class's scope.
import pytest


class BaseMissingTests:
    def test_fillna_limit_pad(self):
        pass

    def test_fillna_series(self):
        pass


class TestMissing(BaseMissingTests):
    unsupported_fill = pytest.mark.xfail(reason="Unsupported fillna option for Interval.")

    @unsupported_fill
    def test_fillna_limit_pad(self):
        super().test_fillna_limit_pad()

    def test_other(self):
        pass


unsupported_fill = None


# The module's `unsupported_fill` is not a mark: the class's name stays in its class.
@unsupported_fill
def test_outside():
    pass


class TestShadow:
    skip = pytest.mark.skip(reason="class scope")

    @skip
    def test_class_skip(self):
        pass


@pytest.mark.skip(reason="module scope")
def test_module_skip():
    pass
