from mylib.testing._marks import requires_network


@requires_network
def test_download():
    pass


def test_parse():
    pass
