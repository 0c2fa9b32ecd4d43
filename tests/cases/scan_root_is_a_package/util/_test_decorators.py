# A scan of an installed package (site-packages/scan_root_is_a_package): its tests import it
# by the package's own name, which is the scan root's directory name.
import pytest


def skip_if_no(package):
    return pytest.mark.skipif(True, reason=f"Could not import '{package}'")


skip_if_32bit = pytest.mark.skipif(False, reason="skipping for 32 bit")
