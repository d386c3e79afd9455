"""PyTorch, the device it runs on, and the settings that make a CPU run repeatable.

``torch`` here stands for the package, imported on first use: declaring a neural method must not
load it, since ``embedlab train`` reads every method's parameters to build its options, and a
skip-gram run that carried torch would hold some 200 MiB more. ``require()`` imports it at once;
the estimators call it when they are made, so a missing torch is one EmbedlabError line naming
the extra to install, before any corpus is read.
"""

from __future__ import annotations

import contextlib
import functools
import importlib

from embedlab.errors import EmbedlabError, setting, warn

INSTALL = "pip install 'embedlab[torch]'"
DEVICES = ("auto", "cpu", "cuda")


def require(why: str = "the neural methods (autoencoder, vae, contrastive) need PyTorch"):
    """The torch package, or one EmbedlabError line: ``why`` and how to install it."""
    try:
        return importlib.import_module("torch")
    except ImportError:
        raise EmbedlabError(f"{why}: {INSTALL}") from None


class _Torch:
    """Forwards every attribute to the torch package, imported at the first one."""

    def __getattr__(self, name):
        return getattr(require(), name)


torch = _Torch()


def no_grad(function):
    """``torch.no_grad()`` as a decorator that does not need torch until the call."""

    @functools.wraps(function)
    def without_gradients(*args, **kwargs):
        with torch.no_grad():
            return function(*args, **kwargs)

    return without_gradients


def resolve_device(name: str) -> torch.device:
    """``auto`` is CUDA when torch sees a CUDA device, else the CPU; ``cuda`` must exist."""
    has_cuda = torch.cuda.is_available()
    if name == "cuda" and not has_cuda:
        raise EmbedlabError(
            f"{setting('device', 'cuda')} but torch sees no CUDA device (or is a CPU build): "
            f"use {setting('device', 'cpu')} or {setting('device', 'auto')}"
        )
    return torch.device("cuda" if name == "cuda" or (name == "auto" and has_cuda) else "cpu")


#: What ``warn_on_cpu`` has warned about in this process: each says so once.
_WARNED: set[str] = set()


def warn_on_cpu(device, what: str, slower: float) -> None:
    """One warning line, once per process, when ``device`` is the CPU, where ``what`` trained
    ``slower`` times slower than the Numba kernels in embedlab's measurement
    (docs/architecture.md)."""
    if device.type == "cpu" and what not in _WARNED:
        _WARNED.add(what)
        warn(
            f"{what} is running on the CPU, where the Numba backend (the default) trained about "
            f"{slower:g}x faster in embedlab's measurement (CPU time, one thread each): leave "
            f"{setting('backend')} out, or use {setting('device', 'cuda')} on a GPU"
        )


@contextlib.contextmanager
def repeatable(threads: int):
    """Run with ``threads`` intra-op threads and deterministic kernels, restoring both after.

    Both settings are process-wide in torch, hence the restore. Deterministic kernels plus one
    thread make a CPU run bit-identical for a seed: with more threads, reductions may add in a
    different order.
    """
    before = torch.get_num_threads(), torch.are_deterministic_algorithms_enabled()
    torch.set_num_threads(threads)
    # warn_only: on CUDA a few kernels have no deterministic version; they warn, not fail.
    torch.use_deterministic_algorithms(True, warn_only=True)
    try:
        yield
    finally:
        torch.set_num_threads(before[0])
        torch.use_deterministic_algorithms(before[1])


def generator(seed: int, epoch: int, device: torch.device) -> torch.Generator:
    """The random stream of one epoch: a function of (seed, epoch) only, so a resumed run
    draws what an uninterrupted one would have."""
    gen = torch.Generator(device=device)
    gen.manual_seed(seed * 1_000_003 + epoch + 1)  # epoch -1: the initial weights
    return gen
