"""Shaped like CPython's Lib/test/test_heapq.py: class CTests(BaseTests, TestCase)."""
from unittest import TestCase, skipUnless

from test.support import import_helper

py_heapq = import_helper.import_fresh_module('heapq', blocked=['_heapq'])
c_heapq = import_helper.import_fresh_module('heapq', fresh=['_heapq'])


class TestHeap:
    # Collected by pytest on its own too: a plain Test* class.
    def test_push_pop(self):
        pass

    @skipUnless(hasattr(c_heapq, "merge"), "needs merge")
    def test_merge(self):
        pass


class TestHeapPython(TestHeap, TestCase):
    module = py_heapq


@skipUnless(c_heapq, 'requires _heapq')
class TestHeapC(TestHeap, TestCase):
    module = c_heapq
