"""``train(..., dask=...)``: connect, encode the corpus on the workers, run the method's runner.

The estimator is built and checked before this is called; a method without a runner in
``RUNNERS``, or a corpus that is not files, is refused in one line before any connection.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import tempfile

from embedlab.distributed import RUNNERS
from embedlab.errors import EmbedlabError


def runner_for(method: str, spell=str):
    """The cluster runner of ``method``; one EmbedlabError line when it has none."""
    if method not in RUNNERS:
        ready = ", ".join(sorted(RUNNERS))
        raise EmbedlabError(
            f"method {method!r} does not run on a Dask cluster yet (these do: {ready}): "
            f"leave out {spell('dask')} or choose one of those"
        )
    module, name = RUNNERS[method].split(":")
    return getattr(importlib.import_module(module), name)


def train_on_cluster(
    method: str,
    estimator,
    corpus,
    settings: dict,
    *,
    dask: str,
    storage=None,
    before_fit=None,
    spell=str,
):
    """Train ``estimator`` (for ``method``) on the files ``corpus`` on the cluster ``dask``.

    ``settings`` are the corpus settings (``encode_corpus``'s, without ``cache``: the shards
    live on the workers); ``storage``, a folder every worker shares, holds the shards instead
    of the workers' memory. ``before_fit(corpus, estimator)`` runs once the vocabulary is known.
    """
    from embedlab.distributed.cluster import check_address, connect

    runner = runner_for(method, spell)
    check_address(dask)
    if "cache" in settings:
        raise EmbedlabError(
            f"{spell('cache')} does not apply with {spell('dask')}: the encoded shards live on "
            f"the workers (or in {spell('dask_storage')}), never in the corpus cache; leave it "
            "out"
        )
    files = _files(corpus, spell)
    if storage is not None:
        from embedlab.fileio import check_folder_writable

        check_folder_writable(storage, f"{spell('dask_storage')} folder")
    with connect(dask) as client, _shard_folder(storage) as folder:
        try:
            sharded = _encode(client, files, settings, folder, estimator)
            if before_fit is not None:
                before_fit(sharded, estimator)
            return runner(estimator, sharded)
        except _lost_scheduler() as err:
            raise EmbedlabError(
                f"lost the Dask scheduler at {dask} during the run ({type(err).__name__}): "
                "check that it is running and reachable, then train again"
            ) from None


def _lost_scheduler() -> tuple:
    """What the client raises, wherever it waits, once the scheduler is gone: a closed
    connection, or the futures it cancelled on giving up reconnecting."""
    import asyncio
    import concurrent.futures

    from distributed.client import FutureCancelledError
    from distributed.comm import CommClosedError

    return (CommClosedError, FutureCancelledError, asyncio.CancelledError,
            concurrent.futures.CancelledError)  # fmt: skip


def _files(corpus, spell) -> list:
    from embedlab.corpus.reader import expand_sources

    paths = [corpus] if isinstance(corpus, (str, os.PathLike)) else corpus
    if not isinstance(paths, (list, tuple)) or not all(
        isinstance(p, (str, os.PathLike)) for p in paths
    ):
        raise EmbedlabError(
            f"{spell('dask')} trains on files the workers can read: give paths, not an "
            "encoded corpus or token lists"
        )
    return expand_sources(paths)


@contextlib.contextmanager
def _shard_folder(storage):
    """A fresh folder for this run's shards under ``storage`` (None: none), removed at the end;
    the workers must see ``storage`` at the same path."""
    if storage is None:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="embedlab-shards-", dir=storage) as folder:
        yield folder


def _encode(client, files, settings, folder, estimator):
    from embedlab.distributed.shards import ShardedCorpus, encode_on_cluster, shard_sizes
    from embedlab.progress import Progress

    total = sum(os.path.getsize(f) for f in files)
    quiet = getattr(estimator, "quiet", False)
    with Progress(total, unit="bytes", description="encoding", quiet=quiet) as bar:
        vocab, on_workers, shards = encode_on_cluster(
            client, files, storage=folder, progress=bar, **settings
        )
    return ShardedCorpus(client, vocab, shards, shard_sizes(client, shards), on_workers)
