import pytest
pytest.skip('gone', allow_module_level=True)
def test_a(): pass
