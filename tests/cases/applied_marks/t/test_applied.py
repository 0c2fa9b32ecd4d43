import pytest


def test_body_adds_xfail(request):
    request.node.add_marker(pytest.mark.xfail(reason="added at run time"))
    assert True


def test_body_local_mark(request):
    value = 1
    mark = pytest.mark.xfail(value > 0, reason="through a local", strict=True)
    if value:
        request.applymarker(mark)


def test_body_string_mark(request):
    value = 1
    request.node.add_marker("xfail")


def test_body_skip_mark_is_too_late(request):
    value = 1
    request.applymarker(pytest.mark.skip(reason="the skip marks were read already"))


def test_through_fixtures(uses_backend, needs_db):
    pass


def test_skip_fixture_is_no_skip(adds_a_skip_mark):
    pass


def test_other_request(other):
    other.node.add_marker(pytest.mark.xfail(reason="not a request"))
