import unittest


class TestCase(unittest.TestCase):
    # An in-tree TestCase base, as CPython's test_asyncio.utils.TestCase.
    pass


class FakeTestCase:
    # Named like a TestCase, but no ancestor is one.
    pass
