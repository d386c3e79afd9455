"""Training on a Dask cluster (``train(..., dask=ADDRESS)``, ``embedlab train --dask ADDRESS``).

Execution on a cluster, beside ``methods/driver.py``, which is execution on threads.
``cluster.py`` connects (or starts a ``LocalCluster``), ``shards.py`` encodes the corpus on the
workers, ``count.py`` runs the count methods and GloVe's counting there, and ``RUNNERS`` below
says which function fits each method. Nothing here imports dask until a run asks for it.

A runner is ``fit(estimator, corpus: shards.ShardedCorpus) -> vectors``: the estimator is built
and checked, the corpus already encoded on the workers. Adding a method is one line in
``RUNNERS``.
"""

from __future__ import annotations

#: method -> "module:function" of its cluster runner, imported only when used.
RUNNERS: dict[str, str] = {
    "ppmi": "embedlab.distributed.count:fit_ppmi",
    "ppmi-svd": "embedlab.distributed.count:fit_ppmi_svd",
    "glove": "embedlab.distributed.count:fit_glove",
    "skipgram": "embedlab.distributed.word2vec:fit",
    "cbow": "embedlab.distributed.word2vec:fit",
}
