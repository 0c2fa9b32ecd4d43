import pytest

import cases
from cases import IMPORTED

VALS = [1, 2]
MARKED = [pytest.param(5, marks=pytest.mark.skip(reason="local list"))]

GROWN = [1]
GROWN += [pytest.param(2, marks=pytest.mark.xfail(reason="+="))]
GROWN.append(pytest.param(3, marks=pytest.mark.skip(reason="append")))
GROWN.extend([4, pytest.param(5, marks=pytest.mark.xfail(reason="extend"))])

SHUFFLED = [pytest.param(1, marks=pytest.mark.xfail(reason="sorted"))]
SHUFFLED.sort()


@pytest.mark.parametrize("a", [pytest.param(0, marks=pytest.mark.xfail)] + VALS)
def test_plus_after(a):
    pass


@pytest.mark.parametrize("a", VALS + [pytest.param(3, marks=pytest.mark.skip)])
def test_plus_before(a):
    pass


@pytest.mark.parametrize("a", MARKED)
def test_local_name(a):
    pass


@pytest.mark.parametrize("a", IMPORTED + cases.IMPORTED)
def test_imported(a):
    pass


@pytest.mark.parametrize("a", GROWN)
def test_grown(a):
    pass


# A list a call reorders: how many sets it holds is not known; a literal's id still is.
@pytest.mark.parametrize("a", SHUFFLED)
def test_sorted(a):
    pass


# Values pytest names by argument and index, and ids it makes unique with a counter.
@pytest.mark.parametrize(
    "a, b",
    [([1], "x"), pytest.param({2: 3}, "x", marks=pytest.mark.xfail), ("x", "x")],
)
def test_by_index(a, b):
    pass


@pytest.mark.parametrize("a", ["x", pytest.param("x", marks=pytest.mark.skip), -1, 0x10])
def test_unique(a):
    pass


# After a set of unknown number the index is not known: the function id.
@pytest.mark.parametrize("a", list(range(3)) + [pytest.param([1], marks=pytest.mark.skip)])
def test_after_unknown(a):
    pass


@pytest.mark.parametrize("a", VALS + [pytest.param(3, marks=pytest.mark.xfail)], ids=["one", "two", "three"])
def test_ids_list(a):
    pass


# A parametrized fixture joins its ids to the test's (`[p-7]`): not modelled, the function id.
@pytest.mark.parametrize("a", [pytest.param(7, marks=pytest.mark.xfail)])
def test_with_fixture(engine, a):
    pass


IDS = ["first", None]


# `ids=` by name; None there is pytest's own id.
@pytest.mark.parametrize(
    "a",
    [pytest.param(1, marks=pytest.mark.skip), pytest.param(2, marks=pytest.mark.skip)],
    ids=IDS,
)
def test_ids_named(a):
    pass


# `ids=` a callable: not known.
@pytest.mark.parametrize("a", [pytest.param(1, marks=pytest.mark.skip)], ids=str)
def test_ids_callable(a):
    pass
