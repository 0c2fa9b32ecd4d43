import sys

import pytest

from pandas.compat import IS64, is_platform_windows


def safe_import(mod_name, min_version=None):
    try:
        __import__(mod_name)
    except ImportError:
        return False
    return True


def skip_if_no(package, min_version=None):
    msg = f"Could not import '{package}'"
    return pytest.mark.skipif(not safe_import(package, min_version=min_version), reason=msg)


skip_if_32bit = pytest.mark.skipif(not IS64, reason="skipping for 32 bit")
skip_if_windows = pytest.mark.skipif(is_platform_windows(), reason="Running on Windows")


def skip_if_no_ne(func):
    return pytest.mark.skipif(not safe_import("numexpr"), reason="numexpr not installed")(func)


requires_scipy = skip_if_no("scipy")
