import pytest

import base
from base import Base


@pytest.mark.skipif(True, reason="sub")
class TestSub(Base):
    TestHidden = None

    def test_own(self):
        pass


class TestCaseSub(base.CaseBase):
    pass


class TestLocal:
    class TestInner:
        @pytest.mark.xfail(reason="inner")
        def test_z(self):
            pass


class TestLocalSub(TestLocal):
    pytestmark = pytest.mark.skip(reason="local sub")
