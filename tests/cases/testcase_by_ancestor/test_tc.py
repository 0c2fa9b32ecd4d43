import unittest

from django.test import SimpleTestCase

from helpers import FakeTestCase, TestCase


class Foo(TestCase):
    # A TestCase through an imported in-tree ancestor: collected though not named Test*.
    @unittest.skip("through helpers.TestCase")
    def test_x(self):
        pass


class Bar(FakeTestCase):
    # Not collected: FakeTestCase is no TestCase.
    @unittest.skip("never collected")
    def test_y(self):
        pass


class Baz(SimpleTestCase):
    # An outside base named *TestCase counts.
    @unittest.expectedFailure
    def test_z(self):
        pass


class Qux(Foo):
    # Inherits test_x and TestCase-ness through Foo.
    pass
