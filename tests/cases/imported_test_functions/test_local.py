from common import test_shared


def test_shared():  # rebinds the name: the imported function is not collected here
    pass
