import other
@other.mark.xfail
def test_a(): pass
