"""Shaped like CPython's Lib/test/test_asyncio/test_tasks.py."""
import sys
import unittest
from asyncio import futures, tasks

from test import support
from test.test_asyncio import utils as test_utils


class BaseTaskTests:
    Task = None

    def test_task_class(self):
        pass

    @support.requires_subprocess()
    def test_subprocess(self):
        pass

    @unittest.skipIf(sys.platform == "win32", "no fork on windows")
    def test_fork(self):
        pass

    @support.skip_if_pgo_task
    def test_not_in_support(self):
        # test.support defines no skip_if_pgo_task here: recorded, resolved false.
        pass


class SetMethodsTest:
    def test_set_result_causes_invalid_state(self):
        pass


@unittest.skipUnless(hasattr(futures, '_CFuture') and
                     hasattr(tasks, '_CTask'),
                     'requires the C _asyncio module')
class CTask_CFuture_Tests(BaseTaskTests, SetMethodsTest,
                          test_utils.TestCase):
    Task = getattr(tasks, '_CTask', None)

    @support.refcount_test
    def test_refleaks_in_task___init__(self):
        pass


class PyTask_PyFuture_Tests(BaseTaskTests, SetMethodsTest,
                            test_utils.TestCase):
    Task = tasks._PyTask

    @support.requires_resource("cpu")
    def test_heavy(self):
        pass
