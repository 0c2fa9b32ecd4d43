import unittest

import pytest


class Mixin:
    @pytest.mark.xfail(reason="mixin")
    def test_from_mixin(self):
        pass


class Base:
    @pytest.mark.skip(reason="nested")
    class TestNested:
        def test_x(self):
            pass

        @pytest.mark.xfail(reason="m")
        def test_y(self):
            pass

        class TestDeeper:
            @pytest.mark.skip(reason="deep")
            def test_deep(self):
                pass

    # A nested class with an in-tree base: its inherited tests come along.
    class TestWithMixin(Mixin):
        pass

    # Not collected: an __init__, or a name pytest does not collect.
    class TestHasInit:
        def __init__(self):
            pass

        @pytest.mark.skip(reason="never")
        def test_never(self):
            pass

    class Helper:
        @pytest.mark.skip(reason="never")
        def test_never(self):
            pass

    class TestHidden:
        @pytest.mark.skip(reason="hidden")
        def test_hidden(self):
            pass


class CaseBase(unittest.TestCase):
    # pytest collects no class nested in a TestCase.
    class TestInCase:
        @pytest.mark.skip(reason="never")
        def test_never(self):
            pass

    @unittest.skip("case")
    def test_case(self):
        pass
