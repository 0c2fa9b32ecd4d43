# CPython's test.support shapes: a helper gives a skip only under a condition it tests.
import sys
import unittest


def _id(obj):
    return obj


def impl_detail(msg=None, **guards):
    if check_impl_detail(**guards):
        return _id
    return unittest.skip(msg)


def cpython_only(test):
    return impl_detail(cpython=True)(test)


def skip_unless_symlink(test):
    ok = can_symlink()
    msg = "Requires functional symlink implementation"
    return test if ok else unittest.skip(msg)(test)


def requires_platform(name):
    if sys.platform != name:
        return unittest.skip(f"requires {name}")
    return _id
