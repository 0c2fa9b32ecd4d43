import os
import unittest


def can_symlink_or_not(test):
    ok = hasattr(os, "symlink")
    msg = "Requires functional symlink implementation"
    return test if ok else unittest.skip(msg)(test)
