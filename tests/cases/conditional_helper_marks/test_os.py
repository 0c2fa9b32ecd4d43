import unittest

from support import helpers


class OsTests(unittest.TestCase):
    @helpers.impl_detail("not on PyPy", cpython=True)
    def test_impl(self):
        pass

    @helpers.skip_unless_symlink
    def test_symlink(self):
        pass

    @helpers.requires_platform("linux")
    def test_linux(self):
        pass
