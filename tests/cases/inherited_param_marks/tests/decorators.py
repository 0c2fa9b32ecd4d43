import pytest


def skip_if_no(package, min_version=None):
    return pytest.mark.skipif(
        not safe_import(package, min_version=min_version), reason=f"Could not import '{package}'"
    )


def safe_import(package, min_version=None):
    return False
