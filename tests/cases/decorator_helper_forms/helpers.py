# Decorator helpers whose mark holds only under a condition the scan cannot evaluate.
import sys
import unittest

import pytest

def requires_foo(reason):
    def decorator(func):
        return unittest.skip(reason)(func)
    return decorator

def skip_with_client_if(condition, reason):
    def skipdec(obj):
        retval = unittest.skip(reason)(obj)
        return retval
    def noskipdec(obj):
        return obj
    return skipdec if condition else noskipdec

def skip_if_backslash(test):
    found_backslash = '\\' in sys.executable
    return [test, unittest.skip("posix")(test)][found_backslash]

def expected_failure_if_tty(fun):
    try:
        sys.stdin.fileno()
        return unittest.expectedFailure(fun)
    except OSError:
        pass
    return fun


def require_socket(*args):
    err = None
    missing = [a for a in args if not hasattr(sys, a)]
    if missing:
        err = "don't have " + ", ".join(missing)
    return skip_with_client_if(err is not None, err)


def async_mark():
    # pandas.tests.io.test_... : the mark is a local set on either side of a try.
    try:
        import pytest_asyncio  # noqa: F401

        mark = pytest.mark.asyncio
    except ImportError:
        mark = pytest.mark.skip(reason="Missing dependency pytest-asyncio")
    return mark
