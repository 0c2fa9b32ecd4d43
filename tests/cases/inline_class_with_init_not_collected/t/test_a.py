import pytest
class TestX:
    def __init__(self): pass
    @pytest.mark.skip
    def test_a(self): pass
