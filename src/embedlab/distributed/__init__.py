"""embedlab's methods on a Dask cluster (``dask.distributed``): imported only with ``--dask``."""
