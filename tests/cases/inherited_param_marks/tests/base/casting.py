# pandas' tests/extension/base/casting.py: a base class whose parametrize carries marks that
# every subclass collecting the test inherits.
import pytest

import tests.decorators as td

LATER = [pytest.param("later", marks=pytest.mark.xfail(reason="shared list"))]


class BaseCastingTests:
    @pytest.mark.parametrize(
        "nullable_string_dtype",
        [
            "string[python]",
            pytest.param("string[pyarrow]", marks=td.skip_if_no("pyarrow", min_version="1.0.0")),
        ],
    )
    def test_astype_string(self, data, nullable_string_dtype):
        pass

    @pytest.mark.parametrize("x", [1] + LATER)
    def test_listed(self, x):
        pass

    def test_plain(self):
        pass
