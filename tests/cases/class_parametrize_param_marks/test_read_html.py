# pandas' test_html.py: a class parametrized over parsers, some cases marked.
import pytest


@pytest.mark.parametrize(
    "flavor",
    [
        pytest.param("bs4", marks=[pytest.mark.skipif(True, reason="no bs4")]),
        pytest.param("lxml", marks=pytest.mark.xfail(reason="GH-42 lxml drops tails")),
        "html5lib",
    ],
)
class TestReadHtml:
    def test_banklist(self, flavor):
        pass

    def test_spam(self, flavor):
        pass

    class TestNested:
        def test_inner(self, flavor):
            pass


@pytest.mark.parametrize("n", [1, 2])
class TestUnmarked:
    def test_n(self, n):
        pass
