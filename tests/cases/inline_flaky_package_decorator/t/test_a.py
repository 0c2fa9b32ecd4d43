from flaky import flaky
@flaky
def test_a(): pass
@flaky(max_runs=3)
def test_b(): pass
