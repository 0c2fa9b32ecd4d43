from pytest import mark as M
@M.skipif(True, reason='r')
def test_a(): pass
