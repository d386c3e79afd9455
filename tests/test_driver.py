"""The one threaded driver: every item once, per-thread stats, progress, errors re-raised."""

from __future__ import annotations

import threading
import time

import pytest

from embedlab.methods.driver import REFRESH_SECONDS, run_epochs, run_parallel


@pytest.mark.parametrize("threads", [1, 3])
def test_every_item_runs_once_and_stats_add_up(threads):
    seen, lock = [], threading.Lock()

    def work(t, item, stats):
        with lock:
            seen.append(item)
        stats[0] += item
        stats[1] += 1

    reports = []
    stats, seconds = run_parallel(
        list(range(100)),
        work,
        threads=threads,
        columns=2,
        report=lambda s: reports.append(s.sum(0)),
    )
    assert sorted(seen) == list(range(100))
    assert stats.shape == (threads, 2) and seconds >= 0
    assert list(stats.sum(axis=0)) == [sum(range(100)), 100]
    assert list(reports[-1]) == [sum(range(100)), 100]  # the last report sees everything


def test_more_threads_than_items_use_one_thread_per_item():
    stats, _ = run_parallel([1, 2], lambda t, item, s: None, threads=8, columns=1)
    assert stats.shape == (2, 1)


@pytest.mark.parametrize("threads", [1, 2])
def test_a_failing_item_is_raised_on_the_calling_thread(threads):
    def work(t, item, stats):
        if item == 3:
            raise ValueError("item 3 is bad")

    with pytest.raises(ValueError, match="item 3 is bad"):
        run_parallel(list(range(10)), work, threads=threads)


def test_run_epochs_collects_history_and_calls_back_with_one_based_epochs():
    calls = []
    history = run_epochs(range(3), lambda e: {"epoch": e + 1}, lambda e, entry: calls.append(e))
    assert history == [{"epoch": 1}, {"epoch": 2}, {"epoch": 3}] and calls == [1, 2, 3]


def test_progress_is_refreshed_on_the_clock_while_the_last_worker_finishes():
    # Each thread takes one item (the barrier); thread 0's returns at once and thread 0 exits,
    # while thread 1 works on for 0.6 s: a handful of refreshes, not a spinning loop.
    barrier = threading.Barrier(2, timeout=10)

    def work(t, item, stats):
        barrier.wait()
        if t != 0:
            time.sleep(0.6)

    reports = []
    run_parallel([0, 1], work, threads=2, report=lambda stats: reports.append(1))
    # at least one refresh while thread 1 works (a plain join would give only the final one),
    # and far from the thousands a spinning loop gives; loose, for a loaded machine
    assert 2 <= len(reports) <= 0.6 / REFRESH_SECONDS * 5
