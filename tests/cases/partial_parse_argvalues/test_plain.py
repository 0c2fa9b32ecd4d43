import sys

import pytest

# Every parametrize of this file is a plain display: the partial parse leaves their insides out,
# and the records are those of a whole parse.


@pytest.mark.xfail(reason="GH#1", strict=True)
@pytest.mark.parametrize(
    "value, expected",
    [
        (1, 2),  # a comment with ] and )
        ("a]", "b)"),
        ({"k": [1, 2]}, None),
    ],
    ids=["one", "two", "three"],
)
def test_marked(value, expected):
    pass


@pytest.mark.parametrize("f", [lambda: pytest.skip("never"), len])
@pytest.mark.skipif(sys.platform == "win32", reason="posix only")
def test_callables(f):
    pass


@pytest.mark.skip(reason="class")
class TestKinds:
    @pytest.mark.parametrize(("kind", "size"), (("int8", 1), ("int16", 2), ("int32", 4)))
    def test_sizes(self, kind, size):
        pass

    @pytest.mark.parametrize("x", [1, 2, 3], indirect=False)
    def test_indirect(self, x):
        if x == 2:
            pytest.skip("two")
