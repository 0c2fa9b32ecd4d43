from base import TestShared


class TestShared:  # rebinds the name: the imported class is not collected here
    def test_local(self):
        pass
