"""Fixtures every test module may use.

``faults`` injects I/O errors the way SQLite tests its VFS: it counts embedlab's file operations
(``fileio`` is where every output is created, written, flushed, synced and renamed, and where
every input is opened), then makes the Nth call of one of them fail with a chosen errno. A test
runs an operation once to count, then once per N over the calls actually made.
"""

from __future__ import annotations

import errno
import os
from collections import Counter

import pytest

from embedlab import fileio

#: The operations ``faults`` counts and can fail.
OPERATIONS = ("create", "write", "flush", "fsync", "rename", "read")
#: The errors a sweep takes turns with: a full disk, a failing device, a refused permission.
CODES = (errno.ENOSPC, errno.EIO, errno.EACCES)


class Faults:
    """Counts fileio's operations; ``fail(operation, n, code)`` makes the nth call raise."""

    def __init__(self):
        self.calls: Counter = Counter()
        self._plan: tuple[str, int, int] | None = None

    def counting(self) -> None:
        """Count from zero, failing nothing."""
        self.calls.clear()
        self._plan = None

    def fail(self, operation: str, n: int, code: int = errno.ENOSPC) -> None:
        """Count from zero; the ``n``th ``operation`` (1-based) raises OSError ``code``."""
        assert operation in OPERATIONS
        self.calls.clear()
        self._plan = (operation, n, code)

    def hit(self, operation: str) -> None:
        self.calls[operation] += 1
        if self._plan is not None and self._plan[:2] == (operation, self.calls[operation]):
            code = self._plan[2]
            raise OSError(code, os.strerror(code))


class _Handle:
    """A file object whose writes, flushes and reads count (and may fail) first."""

    def __init__(self, faults: Faults, handle):
        self._faults, self._handle = faults, handle

    def write(self, data):
        self._faults.hit("write")
        return self._handle.write(data)

    def flush(self):
        self._faults.hit("flush")
        return self._handle.flush()

    def _reading(name):
        def read(self, *args):
            self._faults.hit("read")
            return getattr(self._handle, name)(*args)

        return read

    read = _reading("read")
    read1 = _reading("read1")
    readinto = _reading("readinto")
    readline = _reading("readline")
    peek = _reading("peek")

    def __iter__(self):
        return iter(self.readline, b"")

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.close()


class _OS:
    """``os`` as fileio sees it, with the calls that create, sync and rename counted."""

    def __init__(self, faults: Faults):
        self._faults = faults

    def open(self, path, flags, mode=0o777):
        self._faults.hit("create")
        return os.open(path, flags, mode)

    def fdopen(self, fd, *args, **kwargs):
        return _Handle(self._faults, os.fdopen(fd, *args, **kwargs))

    def fsync(self, fd):
        self._faults.hit("fsync")
        return os.fsync(fd)

    def replace(self, source, target):
        self._faults.hit("rename")
        return os.replace(source, target)

    def __getattr__(self, name):
        return getattr(os, name)


@pytest.fixture
def faults(monkeypatch) -> Faults:
    """Counted, injectable I/O faults in every output and input that goes through fileio."""
    injected = Faults()
    monkeypatch.setattr(fileio, "os", _OS(injected))
    real_open = open

    def open_input(path, mode="rb", *args, **kwargs):
        injected.hit("read")  # opening counts as a read: a permission error comes here
        return _Handle(injected, real_open(path, mode, *args, **kwargs))

    monkeypatch.setattr(fileio, "open", open_input, raising=False)
    return injected
