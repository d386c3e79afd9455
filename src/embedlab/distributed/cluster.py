"""Connecting to a Dask cluster, or starting one on this machine, and closing what was started.

``dask`` is either a scheduler's address (``tcp://host:8786``; ``host:8786`` means the same) or
``local:N``, a ``LocalCluster`` of N worker processes with one thread each, started here and
closed when the run ends. An address that does not answer within ``CONNECT_SECONDS`` is one
error line naming it, never a hang.

``local:N`` is refused before anything starts when N passes ``limits.LOCAL_WORKERS`` (four per
core: more only wait for one another) or the workers' idle memory passes what the machine can
give. The scheduler starts first and is closed by whatever stops the run, Ctrl-C included, so
workers still starting are stopped with it and leave no process or semaphore behind.
"""

from __future__ import annotations

import contextlib
import logging
import re
import signal
import threading

from embedlab.checks import default_threads
from embedlab.errors import EmbedlabError, setting
from embedlab.limits import LOCAL_WORKERS
from embedlab.resources import check_memory

#: Seconds to wait for a scheduler to answer: a live one answers in milliseconds, even across
#: a data centre; a firewalled port would otherwise hang for minutes.
CONNECT_SECONDS = 10.0
#: Seconds a LocalCluster's workers may take to start (a Python, NumPy and SciPy each).
LOCAL_START_SECONDS = 120.0
#: Resident memory of one idle local worker process with NumPy, SciPy and embedlab loaded:
#: 70 MiB measured (distributed 2025, Python 3.11), before any shard.
WORKER_BYTES = 70 << 20

_LOCAL = re.compile(r"local:(\d+)")
_ADDRESS = re.compile(r"(?:(tcp|tls|ucx|inproc|ws|wss)://)?[^\s:/]+:\d{1,5}")
_FORMS = "local:N (N worker processes on this machine) or a scheduler address like tcp://host:8786"


def check_address(dask) -> str:
    """``dask`` if it is ``local:N`` (N >= 1) or a scheduler address; EmbedlabError otherwise."""
    if not isinstance(dask, str):
        raise EmbedlabError(f"{setting('dask')} must be {_FORMS}, got {dask!r}")
    local = _LOCAL.fullmatch(dask)
    if local is not None and int(local.group(1)) < 1:
        raise EmbedlabError(f"{setting('dask', dask)} starts no worker: use local:1 or more")
    if local is None and not _ADDRESS.fullmatch(dask):
        raise EmbedlabError(f"{setting('dask', dask)} is not an address: use {_FORMS}")
    if local is not None:
        workers = int(local.group(1))
        cores = default_threads()
        LOCAL_WORKERS.check(
            workers,
            f"{setting('dask', dask)} starts",
            f"use local:{cores} (this machine's cores) or fewer, or a scheduler address to "
            "spread the work over machines",
        )
        check_memory(dask, {"idle workers": workers * WORKER_BYTES}, "start fewer workers")
    return dask


def import_distributed():
    """The ``distributed`` package, or one EmbedlabError line saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise EmbedlabError(
            f"{setting('dask')} needs Dask's distributed scheduler, which is not installed: "
            "pip install 'embedlab[dask]'"
        ) from None
    return distributed


@contextlib.contextmanager
def connect(dask: str, *, timeout: float = CONNECT_SECONDS):
    """A ``distributed.Client`` for ``dask`` (see the module docstring), closed on exit, with
    the ``LocalCluster`` it started, if any."""
    check_address(dask)
    distributed = import_distributed()
    with contextlib.ExitStack() as stack:
        stack.enter_context(_quiet_client_logs())
        local = _LOCAL.fullmatch(dask)
        if local is not None:
            stack.enter_context(_closing_on_terminate())
            # The scheduler alone first, its closing registered before any worker starts: a
            # Ctrl-C while they start (seconds each) then stops them all.
            cluster = distributed.LocalCluster(
                n_workers=0,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # any free port: 8787 may be another cluster's
                silence_logs=logging.ERROR,
                timeout=LOCAL_START_SECONDS,
            )
            stack.callback(cluster.close)
            client = distributed.Client(cluster, set_as_default=False)
            stack.callback(client.close)
            workers = int(local.group(1))
            cluster.scale(workers)
            client.wait_for_workers(workers, timeout=LOCAL_START_SECONDS)
        else:
            client = _client(distributed, dask, timeout)
            stack.callback(client.close)
        yield client


@contextlib.contextmanager
def _quiet_client_logs():
    """Dask's client logs a lost scheduler as tracebacks at INFO and ERROR before giving up;
    embedlab says it in one line (``run.train_on_cluster``), so only CRITICAL records pass
    Dask's handlers (its child loggers set their own levels, so the filter goes on the
    handlers their records reach)."""
    handlers = list(logging.getLogger("distributed").handlers)
    for handler in handlers:
        handler.addFilter(_critical_only)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(_critical_only)


def _critical_only(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.CRITICAL


@contextlib.contextmanager
def _closing_on_terminate():
    """SIGTERM and SIGHUP (``kill``, a closed terminal, a job's time limit) become SystemExit
    while local workers run, so the cluster is closed as on Ctrl-C: Python's default would
    end the process at once and leave the workers' semaphores behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _client(distributed, address: str, timeout: float):
    try:
        return distributed.Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as err:
        raise EmbedlabError(
            f"cannot reach the Dask scheduler at {address} within {timeout:g} s "
            f"({type(err).__name__}): start one there (dask scheduler), check the address and "
            f"port, or use {setting('dask', 'local:N')} to start workers on this machine"
        ) from None
    except Exception as err:  # something answered, but not in Dask's protocol
        raise EmbedlabError(
            f"{address} answered, but not as a Dask scheduler ({type(err).__name__}): check "
            "the port (a scheduler listens on 8786 by default)"
        ) from None
