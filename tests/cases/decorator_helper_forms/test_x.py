# Helpers in the forms CPython's Lib/test writes them (test_socket's skipWithClientIf,
# test_posixpath's skip_if_ABSTFN_contains_backslash, test_pty's expectedFailureIfStdinIsTTY).
import sys
import unittest

from helpers import (
    async_mark,
    expected_failure_if_tty,
    require_socket,
    requires_foo,
    skip_if_backslash,
    skip_with_client_if,
)


class T(unittest.TestCase):
    @requires_foo("no foo")
    def test_factory_returns_its_decorator(self):
        pass

    @skip_with_client_if(sys.platform != "linux", "linux only")
    def test_factory_picks_a_decorator(self):
        pass

    @skip_if_backslash
    def test_list_indexed_by_a_condition(self):
        pass

    @expected_failure_if_tty
    def test_applied_in_a_try_block(self):
        pass

    @require_socket("AF_UNIX")
    def test_local_assigned_twice_keeps_its_name(self):
        pass

    @async_mark()
    async def test_mark_is_a_local_set_in_a_try(self):
        pass

    def test_plain(self):
        pass
