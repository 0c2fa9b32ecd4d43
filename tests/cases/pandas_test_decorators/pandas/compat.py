import sys

IS64 = sys.maxsize > 2**32


def is_platform_windows():
    return sys.platform == "win32"
