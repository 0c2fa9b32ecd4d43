import pytest

pytestmark = (pytest.skip("nothing collected here", allow_module_level=True),)
