# pandas' extension tests: base classes define the tests, each array type's module
# subclasses them and defines the fixtures they request.
import pytest


class BaseDtypeTests:
    def test_name(self, dtype):
        assert dtype

    def test_kind(self, dtype):
        assert dtype

    @pytest.mark.parametrize("dtype", ["object"])
    def test_parametrized_instead(self, dtype):
        assert dtype

    def test_no_fixture(self):
        pass
