"""The one way training work runs on threads: word2vec's chunks, GloVe's cells, counting's ranges.

Work items go into a queue that ``threads`` Python threads drain, each calling a ``nogil``
kernel; every thread owns one row of a float64 ``stats`` table (no thread writes another's
sums), which the calling thread reads a few times a second to draw the progress bar. An
exception in any worker stops the others from taking new items and is raised on the calling
thread. Epoch loops, their history and the per-epoch callbacks are in ``run_epochs``.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence

import numpy as np

#: Progress refreshes per second from the calling thread.
REFRESH_SECONDS = 0.25


def run_parallel(
    items: Sequence,
    work: Callable[[int, object, np.ndarray], None],
    *,
    threads: int,
    columns: int = 0,
    report: Callable[[np.ndarray], None] | None = None,
) -> tuple[np.ndarray, float]:
    """Run ``work(thread, item, stats[thread])`` for every item; return ``(stats, seconds)``.

    ``stats`` is float64 ``(threads, columns)``, zero at the start; ``report(stats)`` runs on the
    calling thread every ``REFRESH_SECONDS`` and once at the end (progress, live loss). With one
    thread or one item the work runs on the calling thread itself.
    """
    threads = max(1, min(threads, len(items)))
    stats = np.zeros((threads, columns), dtype=np.float64)
    started = time.perf_counter()
    if threads == 1:
        _run_inline(items, work, stats, report)
    else:
        _run_threads(items, work, stats, report)
    seconds = time.perf_counter() - started
    if report is not None:
        report(stats)
    return stats, seconds


def _run_inline(items, work, stats, report) -> None:
    last = time.perf_counter()
    for item in items:
        work(0, item, stats[0])
        if report is not None and time.perf_counter() - last >= REFRESH_SECONDS:
            report(stats)
            last = time.perf_counter()


def _run_threads(items, work, stats, report) -> None:
    jobs: queue.SimpleQueue = queue.SimpleQueue()
    for item in items:
        jobs.put(item)
    errors: list[BaseException] = []

    def drain(t):
        try:
            while not errors:
                try:
                    item = jobs.get_nowait()
                except queue.Empty:
                    return
                work(t, item, stats[t])
        except BaseException as err:  # re-raised on the calling thread
            errors.append(err)

    workers = [threading.Thread(target=drain, args=(t,), daemon=True) for t in range(len(stats))]
    for worker in workers:
        worker.start()
    # Wait on each worker in turn: a timed join on a finished thread returns at once, so
    # waiting on one that is already done would spin, reporting as fast as the CPU allows.
    for worker in workers:
        while worker.is_alive():
            worker.join(REFRESH_SECONDS)
            if report is not None:
                report(stats)
    if errors:
        raise errors[0]


def run_epochs(
    epochs: range,
    run_epoch: Callable[[int], dict],
    on_epoch_end: Callable[[int, dict], None] | None = None,
    progress=None,
) -> list[dict]:
    """Run ``run_epoch(epoch)`` (0-based) for each epoch and return the history entries.

    ``on_epoch_end(epoch, entry)`` (1-based epoch) runs after each epoch while no worker runs:
    callbacks and checkpoints go there. ``progress`` (an ``embedlab.progress.Progress``) records
    each epoch's entry out of ``epochs.stop``, the run's total.
    """
    history = []
    for epoch in epochs:
        entry = run_epoch(epoch)
        history.append(entry)
        if progress is not None:
            progress.epoch(entry, epochs.stop)
        if on_epoch_end is not None:
            on_epoch_end(epoch + 1, entry)
    return history
