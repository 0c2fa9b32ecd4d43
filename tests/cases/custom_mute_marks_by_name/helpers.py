import pytest

on_windows = pytest.mark.skip_on_windows(reason="paths")
