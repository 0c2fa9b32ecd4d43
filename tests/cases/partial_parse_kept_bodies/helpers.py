# A helper module: its factories (and the decorators they define) are summarized whole, its
# methods for their names, decorators and parameters.
import unittest

import pytest


def broken_on(platform):
    def deco(f):
        why = "broken on " + platform
        return unittest.expectedFailure(f)

    return deco


class BaseTests:
    @pytest.mark.xfail(reason="inherited")
    def test_inherited(self, engine):
        values = [1, 2]
        for v in values:
            assert v
        return values

    def helper(self):
        first = 1
        second = 2
        return first + second
