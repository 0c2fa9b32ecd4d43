# Shaped like xarray's tests/__init__.py: a factory returns whether a module imports and the
# mark that skips without it, and each pair is unpacked at module level.
import importlib

import pytest


def _importorskip(modname, minversion=None):
    try:
        importlib.import_module(modname)
        has = True
    except ImportError:
        has = False
    func = pytest.mark.skipif(not has, reason=f"requires {modname}")
    return has, func


has_scipy, requires_scipy = _importorskip("scipy")
has_nosuchmod, requires_nosuchmod = _importorskip("nosuchmod_flakegrab")


def _pair():
    return [pytest.mark.xfail(reason="first"), pytest.mark.skip(reason="second")]


# A whole use of a function returning a list of marks takes them all.
both = _pair()
first, second = _pair()
# Unpacking a display gives each name its own value.
slow_xfail, plain = pytest.mark.xfail(reason="slow"), 3
