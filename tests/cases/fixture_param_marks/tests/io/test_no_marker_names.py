# Names no marker: only its fixtures mark its tests.
def test_uses_dtype(dtype):
    pass
