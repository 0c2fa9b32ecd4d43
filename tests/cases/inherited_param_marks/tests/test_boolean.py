from tests import base


class TestCasting(base.BaseCastingTests):
    pass


class TestOverridden(base.BaseCastingTests):
    # An override without the parametrize has no param marks.
    def test_astype_string(self, data):
        pass
