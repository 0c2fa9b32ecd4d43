import sys
import unittest

import pytest


class CheckMixin:
    @pytest.mark.xfail(reason="mixin in another module")
    def test_mixin(self):
        pass


@unittest.skipUnless(sys.platform == "linux", "linux only")
class BaseTests:
    def test_a(self):
        pass

    @unittest.skip("broken")
    def test_b(self):
        pass

    def check_c(self):
        pass
