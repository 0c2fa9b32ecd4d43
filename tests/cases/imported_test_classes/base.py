import unittest

import pytest


@pytest.mark.skip(reason="base class")
class TestShared:
    @pytest.mark.xfail(reason="shared")
    def test_shared(self):
        pass


class CaseTests(unittest.TestCase):
    @unittest.skip("case")
    def test_case(self):
        pass


class Helper:
    @pytest.mark.skip(reason="never")
    def test_never(self):
        pass
