from pytest import mark
@mark.skip
def test_a(): pass
