import pytest


def skip_if_no(package):
    return pytest.mark.skipif(True, reason=f"Could not import '{package}'")
