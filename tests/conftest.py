"""Settings for the whole test run.

The encoded-corpus cache (``EMBEDLAB_CACHE``) is a temporary folder for the run, set before any
test or subprocess starts and removed after, so the tests never write into the user's cache.
The compiled kernels stay in the user's kernel cache (``EMBEDLAB_KERNEL_CACHE`` is left as it
is): they are keyed by the sources, so sharing them is safe, and a folder of their own for each
run would compile every kernel again each time, minutes on two cores. Tests that need a cache
of their own (the cache's tests, the kernel cache's) set one themselves.
"""

from __future__ import annotations

import os
import shutil
import tempfile

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
