import unittest
from test.helpers import (
    os_helper,  # a submodule; test/helpers/__init__.py is empty
)


class LinkTest(unittest.TestCase):
    @os_helper.can_symlink_or_not
    def test_link(self):
        pass

    def test_plain(self):
        pass
