# A factory of the test file itself whose inner decorator applies the mark: the inner body is
# parsed, as the file's own summary reads it.
import unittest

from helpers import BaseTests, broken_on


def known_bad(reason):
    def deco(f):
        text = "known bad: " + reason
        return unittest.expectedFailure(f)

    return deco


class TestLocal(unittest.TestCase):
    @known_bad("gh-1")
    def test_a(self):
        pass

    @broken_on("linux")
    def test_b(self):
        pass


class TestInherits(BaseTests):
    pass
