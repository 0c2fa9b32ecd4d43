import unittest


class TestCase(unittest.TestCase):
    def set_event_loop(self, loop):
        pass
