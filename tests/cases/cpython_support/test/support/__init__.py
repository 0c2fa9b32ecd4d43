"""Shaped like CPython's Lib/test/support/__init__.py."""
import sys
import unittest

has_subprocess_support = sys.platform not in {"emscripten", "wasi"}


def requires_subprocess():
    """Used for subprocess, os.spawn calls, fd inheritance"""
    return unittest.skipIf(not has_subprocess_support, "requires subprocess support")


def requires_resource(resource):
    if resource == "gui" and not _is_gui_available():
        return unittest.skip(_is_gui_available.reason)
    if is_resource_enabled(resource):
        return _id
    else:
        return unittest.skip("resource {0!r} is not enabled".format(resource))


def refcount_test(test):
    """Decorator for tests which involve reference counting."""
    return no_tracing(cpython_only(test))


def _id(obj):
    return obj
