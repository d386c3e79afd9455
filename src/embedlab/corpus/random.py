"""The random number generator every training kernel uses: word2vec's linear congruential one.

The state is a ``uint64[1]`` array so Numba kernels can advance it in place; each chunk of work
gets its own state from ``seed_state(seed, stream)``, which makes a run reproducible from the seed
alone (Python's ``hash()`` is never involved).
"""

from __future__ import annotations

import numpy as np
from numba import njit

_MULTIPLIER = np.uint64(25214903917)
_INCREMENT = np.uint64(11)
_SHIFT_HIGH = np.uint64(32)
_SHIFT_FLOAT = np.uint64(11)
_TWO_POW_53 = float(2**53)
_MASK64 = (1 << 64) - 1


def _splitmix64(x: int) -> int:
    # Decorrelates nearby seeds and streams; plain LCG states from seeds 1, 2, 3 would be close.
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


def seed_state(seed: int, stream: int = 0) -> np.ndarray:
    """A fresh generator state (``uint64[1]``) for ``seed`` and an independent ``stream`` number.

    The trainer uses one stream per (epoch, chunk), so the work can be split across threads while
    every chunk still draws the same numbers for the same seed.
    """
    mixed = _splitmix64(_splitmix64(int(seed) & _MASK64) ^ (int(stream) & _MASK64))
    return np.array([mixed], dtype=np.uint64)


@njit(cache=True, nogil=True)
def next_random(state) -> np.uint64:
    """Advance the state (``x = x * 25214903917 + 11``, modulo 2**64) and return it."""
    state[0] = state[0] * _MULTIPLIER + _INCREMENT
    return state[0]


@njit(cache=True, nogil=True)
def uniform(state) -> float:
    """A float in [0, 1) from the top 53 bits (an LCG's high bits are its most random)."""
    # via int64: converting a uint64 to float costs a branch on x86, an int64 one instruction
    return np.int64(next_random(state) >> _SHIFT_FLOAT) / _TWO_POW_53


@njit(cache=True, nogil=True)
def randint(state, n) -> int:
    """An int in [0, n) for ``n < 2**32``: the top 32 bits scaled by ``n`` (Lemire's
    multiply-shift), which avoids word2vec's ``% n``, an integer division per draw."""
    return np.int64(((next_random(state) >> _SHIFT_HIGH) * np.uint64(n)) >> _SHIFT_HIGH)
