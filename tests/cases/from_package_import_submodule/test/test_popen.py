# Names no mark: its mute comes from `from test import support`, a submodule imported by
# name from a package whose __init__ holds none.
import os
import unittest
from test import support


@support.requires_subprocess()
class PopenTest(unittest.TestCase):
    def test_popen(self):
        self.assertTrue(os.popen)
