import pytest
@pytest.mark.parametrize('p', [  # cases
    pytest.param(1, marks=pytest.mark.skip),
    # the slow one
    pytest.param(2, marks=pytest.mark.xfail),
], ids=[
    # names
    'one', 'two'])
def test_p(p): pass
