from ._marks import requires_dask, network as online
