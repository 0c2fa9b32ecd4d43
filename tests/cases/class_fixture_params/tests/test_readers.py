# pandas' shapes (io/excel/test_readers.py, frame/methods/test_quantile.py): fixtures written in a
# class body. A class's fixtures are seen by its tests, its subclasses' and its nested classes',
# before the module's; an autouse one marks every test of the class.
import pytest


@pytest.fixture(params=["xlrd", pytest.param("odf", marks=pytest.mark.skip(reason="no odf"))])
def engine(request):
    return request.param


@pytest.fixture
def obj():
    return 1


class TestReaders:
    @pytest.fixture(autouse=True)
    def cd_and_set_engine(self, engine, monkeypatch):
        monkeypatch.setattr("x", engine)

    def test_reads(self):
        pass

    class TestNested:  # the outer class's autouse fixture holds here too
        def test_inner(self):
            pass


class TestQuantileExtensionDtype:
    @pytest.fixture(
        params=[
            pytest.param(1, marks=pytest.mark.xfail(reason="raises when adding Intervals")),
            2,
        ]
    )
    def index(self, request):
        return request.param

    @pytest.fixture
    def obj(self, index):
        return index

    def test_quantile_ea(self, obj):
        pass

    def test_plain(self):
        pass


class TestSub(TestQuantileExtensionDtype):
    def test_sub(self, obj):
        pass


def test_module_obj_is_unmarked(obj):
    pass
