# A src layout: the package lives under src/ and is installed when its tests run.
import pytest

requires_network = pytest.mark.skipif(True, reason="needs network")
