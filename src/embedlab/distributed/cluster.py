"""Connecting to a Dask cluster, or starting one on this machine, and closing what was started.

``dask`` is either a scheduler's address (``tcp://host:8786``; ``host:8786`` means the same) or
``local:N``, a ``LocalCluster`` of N worker processes with one thread each, started here and
closed when the run ends. An address that does not answer within ``CONNECT_SECONDS`` is one
error line naming it, never a hang.
"""

from __future__ import annotations

import contextlib
import logging
import re

from embedlab.errors import EmbedlabError, setting

#: Seconds to wait for a scheduler to answer: a live one answers in milliseconds, even across
#: a data centre; a firewalled port would otherwise hang for minutes.
CONNECT_SECONDS = 10.0
#: Seconds a LocalCluster's workers may take to start (a Python, NumPy and SciPy each).
LOCAL_START_SECONDS = 120.0

_LOCAL = re.compile(r"local:(\d+)")
_ADDRESS = re.compile(r"(?:(tcp|tls|ucx|inproc|ws|wss)://)?[^\s:/]+:\d{1,5}")
_FORMS = "local:N (N worker processes on this machine) or a scheduler address like tcp://host:8786"


def check_address(dask) -> str:
    """``dask`` if it is ``local:N`` (N >= 1) or a scheduler address; EmbedlabError otherwise."""
    if not isinstance(dask, str):
        raise EmbedlabError(f"dask must be {_FORMS}, got {dask!r}")
    local = _LOCAL.fullmatch(dask)
    if local is not None and int(local.group(1)) < 1:
        raise EmbedlabError(f"dask={dask!r} starts no worker: use local:1 or more")
    if local is None and not _ADDRESS.fullmatch(dask):
        raise EmbedlabError(f"dask={dask!r} is not an address: use {_FORMS}")
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
        local = _LOCAL.fullmatch(dask)
        if local is not None:
            cluster = distributed.LocalCluster(
                n_workers=int(local.group(1)),
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # any free port: 8787 may be another cluster's
                silence_logs=logging.ERROR,
                timeout=LOCAL_START_SECONDS,
            )
            stack.callback(cluster.close)
            client = distributed.Client(cluster, set_as_default=False)
        else:
            client = _client(distributed, dask, timeout)
        stack.callback(client.close)
        yield client


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
