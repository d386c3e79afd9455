"""What every cluster task shares: its key, its errors as one line, waiting with a progress bar.

A worker's exception is wrapped where it happens into a ``ShardError`` naming the worker and the
shard, so the user reads one line however deep in a worker the problem was; a task that kept
killing its workers (out of memory, a crash in compiled code) is named in one line too.
"""

from __future__ import annotations

from embedlab.errors import EmbedlabError, setting


class ShardError(EmbedlabError):
    """A task failed on a worker: the message names the worker, the shard and the reason."""


def on_shard(label: str, fn, *args):
    """``fn(*args)`` on a worker; any exception becomes a ``ShardError`` naming ``label``."""
    try:
        return fn(*args)
    except Exception as err:
        reason = str(err) if isinstance(err, EmbedlabError) else f"{type(err).__name__}: {err}"
        raise ShardError(f"worker {worker_address()} failed on shard {label}: {reason}") from None


def worker_address() -> str:
    """The address of the worker running this, or "(none)" outside one."""
    from distributed import get_worker

    try:
        return get_worker().address
    except ValueError:  # run outside a worker (tests calling the task directly)
        return "(none)"


def task_key(stage: str, index: int, run: str) -> str:
    """A key unique to this run (two runs on one cluster never share results), readable in the
    dashboard and in errors: the stage and the shard or block number."""
    return f"embedlab-{stage}-{run}-{index}"


def wait_all(futures: list, weight=None, progress=None) -> None:
    """Wait for ``futures`` (their results stay on the workers); raise the first failure.

    ``progress.update(done)`` is told the sum of ``weight(future)`` over those finished.
    """
    from distributed import as_completed

    if not futures:
        return
    done = 0
    for future in as_completed(futures, loop=futures[0].client.loop):
        if future.status != "finished":
            raise_failure(future)
        if progress is not None and weight is not None:
            done += weight(future)
            progress.update(done)


def raise_failure(future) -> None:
    """Raise the error of a failed ``future`` as one line."""
    from distributed import KilledWorker

    if future.status == "cancelled":  # the client closed it: the scheduler went away
        raise EmbedlabError(
            f"lost the Dask scheduler at {_scheduler_address(future)} during the run (it stopped "
            "answering and the client gave up reconnecting): check that the scheduler is "
            "running and reachable, then train again"
        )
    err = future.exception()
    if isinstance(err, KilledWorker):
        raise EmbedlabError(
            f"task {err.task} was running on each of the {err.allowed_failures + 1} workers "
            f"that died (the last {err.last_worker.address}): give the workers more memory, "
            f"lower {setting('memory')}, or raise {setting('min_count')}"
        ) from None
    raise err


def _scheduler_address(future) -> str:
    try:
        return future.client.scheduler.address
    except AttributeError:  # the connection is gone with its details
        return "(unknown)"


def tree(client, combine, futures: list, name: str, run: str):
    """``combine`` over ``futures`` in a tree of pairwise tasks, neighbours combined (the left
    one first), so the result is the ordered fold in about log2(n) rounds."""
    level, depth = list(futures), 0
    while len(level) > 1:
        depth += 1
        paired = [
            client.submit(combine, a, b, key=task_key(f"{name}-{depth}", k, run))
            for k, (a, b) in enumerate(zip(level[::2], level[1::2], strict=False))
        ]
        level = paired + level[len(paired) * 2 :]
    return level[0]
