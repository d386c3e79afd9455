"""Parameter checks every layer may use (corpus, vectors, methods, evaluation, pictures, CLI).

Each raises EmbedlabError with the parameter's name, the bad value and what is allowed, so a
wrong option fails before any corpus is read.
"""

from __future__ import annotations

import numbers
import os
import re

import numpy as np

from embedlab.errors import EmbedlabError


def check_int(name: str, value, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """An integer (not bool), at least ``minimum`` and at most ``maximum`` when given."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise EmbedlabError(f"{name} must be an integer, got {value!r}")
    if minimum is not None and value < minimum:
        raise EmbedlabError(f"{name} must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise EmbedlabError(f"{name} must be at most {maximum}, got {value}")
    return int(value)


def check_float(
    name: str,
    value,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    exclusive_minimum: bool = False,
) -> float:
    """A finite real number within [minimum, maximum] (minimum excluded if asked)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != value:
        raise EmbedlabError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if value in (float("inf"), float("-inf")):
        raise EmbedlabError(f"{name} must be finite, got {value}")
    if minimum is not None and (value < minimum or (exclusive_minimum and value == minimum)):
        relation = "greater than" if exclusive_minimum else "at least"
        raise EmbedlabError(f"{name} must be {relation} {minimum:g}, got {value:g}")
    if maximum is not None and value > maximum:
        raise EmbedlabError(f"{name} must be at most {maximum:g}, got {value:g}")
    return value


def check_choice(name: str, value, choices) -> str:
    """One of ``choices``."""
    if value not in choices:
        allowed = ", ".join(str(c) for c in choices)
        raise EmbedlabError(f"{name} must be one of {allowed}; got {value!r}")
    return value


def check_bool(name: str, value) -> bool:
    """True or False (a NumPy bool too); not 0/1 or a string, which usually mean a mistake."""
    if not isinstance(value, (bool, np.bool_)):
        raise EmbedlabError(f"{name} must be true or false, got {value!r}")
    return bool(value)


def check_threads(threads) -> int:
    """Worker threads: a positive integer, or None for every core this process may use."""
    return check_int("threads", default_threads() if threads is None else threads, minimum=1)


def default_threads() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


#: Memory budgets as people write them ("4G", "512M", "1.5GB"), in powers of 1024.
_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:I?B)?\s*$", re.IGNORECASE)

#: Below this the interpreter, NumPy, SciPy and the Numba runtime alone would break the budget.
MINIMUM_BYTES = 512 << 20


def parse_memory(value, name: str = "memory", minimum: int = MINIMUM_BYTES) -> int:
    """Bytes in ``value``: an int (bytes) or a string like "4G", "512M", "1.5GiB" (powers of 1024).

    Raises EmbedlabError when the value cannot be read or is below ``minimum`` (512 MiB).
    """
    if isinstance(value, bool):
        raise EmbedlabError(f"{name} must be a size like '4G' or '512M', got {value!r}")
    if isinstance(value, numbers.Integral):
        size = int(value)
    else:
        match = _PATTERN.match(str(value))
        if match is None:
            raise EmbedlabError(f"{name} must be a size like '4G' or '512M', got {value!r}")
        size = int(float(match.group(1)) * _UNITS[match.group(2).upper()])
    if size < minimum:
        raise EmbedlabError(f"{name} must be at least {minimum >> 20}M, got {value!r}")
    return size
