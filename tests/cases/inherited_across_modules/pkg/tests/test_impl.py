import unittest

from . import base
from .base import BaseTests as BT


class CTests(BT, unittest.TestCase):
    # A TestCase inheriting BaseTests' tests and its class decorator.
    pass


class PyTests(BT, unittest.TestCase):
    def test_b(self):
        # Overrides the skipped base test.
        pass


class TestWithMixin(base.CheckMixin):
    pass
