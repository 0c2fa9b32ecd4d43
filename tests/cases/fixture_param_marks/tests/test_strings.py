import pytest


def test_direct(string_storage):
    pass


def test_through_another_fixture(dtype):
    pass


@pytest.mark.usefixtures("string_storage")
def test_usefixtures():
    pass


# Parametrizing the argument replaces the fixture of that name.
@pytest.mark.parametrize("string_storage", ["python"])
def test_parametrized_argument(string_storage):
    pass


def test_renamed_fixture_from_a_list(engine):
    pass


def test_unmarked_params(unmarked):
    pass


def test_skip_in_body():
    pytest.skip("runtime")


def test_generated_params(backend):
    pass
