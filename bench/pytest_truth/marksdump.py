# pytest plugin: after collection, write each item's mute marks (as pytest gathers them across
# the MRO, modules, params) and unittest skip attributes, as JSON lines to $MARKSDUMP_OUT.
import json, os
import unittest, unittest.case

# unittest.skipIf/skipUnless decide at import time; here every such decorator counts, as a
# source scanner sees it, whatever this machine's condition says.
def _skip_always(condition, reason):
    return unittest.skip(reason)
unittest.skipIf = unittest.case.skipIf = _skip_always
unittest.skipUnless = unittest.case.skipUnless = _skip_always
MUTE = {"skip", "skipif", "xfail", "flaky", "xfailflake"}  # xfailflake: DC/OS's, kind xfail
def pytest_collection_modifyitems(session, config, items):
    out = open(os.environ["MARKSDUMP_OUT"], "w")
    for it in items:
        names = sorted({m.name for m in it.iter_markers() if m.name in MUTE})
        obj = getattr(it, "obj", None)
        cls = getattr(it, "cls", None)
        if getattr(obj, "__unittest_skip__", False) or getattr(cls, "__unittest_skip__", False):
            names.append("unittest.skip")
        if getattr(obj, "__unittest_expecting_failure__", False):
            names.append("expectedFailure")
        out.write(json.dumps({"nodeid": it.nodeid, "marks": names}) + "\n")
    out.close()
