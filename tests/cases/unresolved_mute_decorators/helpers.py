import sys

from ci_helpers import skip_if_no_gpu

requires_gpu = skip_if_no_gpu()


def xfail_if_old(f):
    if sys.version_info < (3, 8):
        f.__dict__["old"] = True
    return f
