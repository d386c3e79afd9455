"""Settings for the whole test run, and fixtures every test module may use.

The encoded-corpus cache (``EMBEDLAB_CACHE``) is a temporary folder for the run, set before any
test or subprocess starts and removed after, so the tests never write into the user's cache.
The compiled kernels stay in the user's kernel cache (``EMBEDLAB_KERNEL_CACHE`` is left as it
is): they are keyed by the sources, so sharing them is safe, and a folder of their own for each
run would compile every kernel again each time, minutes on two cores. Tests that need a cache
of their own (the cache's tests, the kernel cache's) set one themselves.

``faults`` injects I/O errors the way SQLite tests its VFS: it counts embedlab's file operations
(``fileio`` is where every output is created, written, flushed, synced and renamed, and where
every input is opened), then makes the Nth call of one of them fail with a chosen errno. A test
runs an operation once to count, then once per N over the calls actually made.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections import Counter

import pytest

from embedlab import fileio

_SAVED = "_embedlab_saved_cache"


def pytest_configure(config):
    setattr(config, _SAVED, os.environ.get("EMBEDLAB_CACHE"))
    os.environ["EMBEDLAB_CACHE"] = tempfile.mkdtemp(prefix="embedlab-test-cache-")


def pytest_unconfigure(config):
    shutil.rmtree(os.environ.get("EMBEDLAB_CACHE", ""), ignore_errors=True)
    saved = getattr(config, _SAVED, None)
    if saved is None:
        os.environ.pop("EMBEDLAB_CACHE", None)
    else:
        os.environ["EMBEDLAB_CACHE"] = saved


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


#: The settings of ``fasttext_model``: small enough to train in about a second.
FASTTEXT_SETTINGS = {"minn": 3, "maxn": 6, "bucket": 20000, "dim": 16, "minCount": 3}


@pytest.fixture(scope="session")
def fasttext_model(tmp_path_factory):
    """A skip-gram model trained by the ``fasttext`` package on the sample corpus's first
    4,000 lines (about 60,000 tokens), five epochs on one thread (about 5 s, once per run:
    fewer epochs leave the vectors too alike to rank); ``FASTTEXT_SETTINGS`` gives its
    settings."""
    import gzip

    import fasttext

    from embedlab.corpus import sample_corpus_path

    path = tmp_path_factory.mktemp("fasttext") / "sample.txt"
    with gzip.open(sample_corpus_path(), "rt", encoding="utf-8") as source:
        path.write_text(
            "".join(line for _, line in zip(range(4000), source, strict=False)), encoding="utf-8"
        )
    return fasttext.train_unsupervised(
        str(path), model="skipgram", epoch=5, thread=1, verbose=0, **FASTTEXT_SETTINGS
    )


@pytest.fixture(scope="session")
def fasttext_subwords(fasttext_model):
    """``fasttext_model`` as embedlab's ``SubwordEmbeddings`` (input, output matrix and n-gram
    settings as fastText trained them)."""
    from embedlab.vectors.subwords import SubwordEmbeddings

    return SubwordEmbeddings(
        fasttext_model.words,
        fasttext_model.get_input_matrix(),
        minn=FASTTEXT_SETTINGS["minn"],
        maxn=FASTTEXT_SETTINGS["maxn"],
        context=fasttext_model.get_output_matrix(),
        meta={"method": "fasttext"},
    )
