import sys, pytest
if sys.platform == "win32":
    pytest.skip("posix only", allow_module_level=True)
try:
    import numpy
except ImportError:
    pytest.skip("no numpy", allow_module_level=True)
def test_a(): pass
def helper():
    pytest.skip("not at import time")
