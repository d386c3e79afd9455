"""Memory budgets written the way people write them ("4G", "512M", "1.5GB") turned into bytes."""

from __future__ import annotations

import numbers
import re

from embedlab.errors import EmbedlabError

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
