"""Limits on work that grows faster than its input: each named, each with a default, each
raisable.

A few settings make the work grow with the square of something a file or an option gives:
``window="all"`` trains every pair of a line, a local Dask cluster starts one process per
worker, node2vec's walk draws more candidates the more ``p`` and ``q`` differ, t-SNE compares
every point with every other. Each such path estimates its cost before it starts and refuses, in
one line, a cost above its limit, naming the estimate, the limit and both ways round it: a
setting that costs less, or raising the limit with the environment variable
``EMBEDLAB_MAX_<NAME>`` (the command line and the Python API read the same variable). The
defaults and the reason for each are in docs/reliability.md.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from embedlab.checks import default_threads as cores
from embedlab.errors import EmbedlabError


@dataclass(frozen=True)
class Limit:
    """One named limit: ``name`` (the variable is ``EMBEDLAB_MAX_`` + name), its ``default``
    (a number, or a function giving one, for limits that scale with the machine) and ``unit``,
    what is counted."""

    name: str
    default: int | Callable[[], int]
    unit: str

    @property
    def variable(self) -> str:
        return f"EMBEDLAB_MAX_{self.name}"

    def value(self) -> int:
        """The limit in force: the variable's value when set, else the default."""
        given = os.environ.get(self.variable)
        if not given:
            return self.default() if callable(self.default) else self.default
        try:
            value = int(float(given))
        except ValueError:
            value = -1
        if value < 1:
            raise EmbedlabError(
                f"{self.variable}={given!r} is not a positive whole number: set it to the "
                f"largest number of {self.unit} to allow, or unset it"
            )
        return value

    def check(self, amount: float, what: str, cheaper: str) -> None:
        """EmbedlabError when ``amount`` (``what`` describes it, e.g. "window='all' gives")
        exceeds the limit; ``cheaper`` names the settings that cost less."""
        limit = self.value()
        if amount <= limit:
            return
        raise EmbedlabError(
            f"{what} {_shown(amount)} {self.unit}, above the limit of {_shown(limit)}: "
            f"{cheaper}, or raise the limit ({self.variable}={_round_up(amount)})"
        )


def _shown(amount: float) -> str:
    return f"{amount:,.0f}" if amount < 1e9 else f"{amount:.2g}"


def _round_up(amount: float) -> int:
    """``amount`` rounded up to two significant figures, a value to suggest."""
    digits = max(0, len(str(int(amount))) - 2)
    step = 10**digits
    return -(-int(amount) // step) * step


#: Training pairs per token a window may give: an integer window w gives at most 2w; "all" on a
#: line of n items gives n - 1 per item. 1,000 is a window of 500 words each side, far above
#: every setting measured (BENCHMARKS.md), and a basket of 1,001 items.
PAIRS_PER_TOKEN = Limit("PAIRS_PER_TOKEN", 1_000, "training pairs per token")
#: Worker processes ``--dask local:N`` may start: each is a Python with NumPy and SciPy loaded,
#: and beyond a few per core they only wait for one another.
LOCAL_WORKERS = Limit("LOCAL_WORKERS", lambda: 4 * cores(), "worker processes")
#: Worker threads a method may start: beyond a few per core they only contend.
THREADS = Limit("THREADS", lambda: max(64, 8 * cores()), "threads")
#: node2vec's walk draws candidates until one is kept, on average up to max/min of
#: (1/p, 1, 1/q) draws per step: the paper's grid (p, q in 0.25..4) needs at most 16.
NODE2VEC_DRAWS = Limit("NODE2VEC_DRAWS", 1_000, "candidate draws per walk step")
#: Distinct labels node classification takes: it fits one classifier per label over every node
#: and holds a node x label matrix, so labels that grow with the nodes make it quadratic. The
#: usual sets have 39 (BlogCatalog) to 195 (Flickr).
NODE_LABELS = Limit("NODE_LABELS", 1_000, "distinct labels")
#: Points a t-SNE map may show: its cost grows as n log n with a large constant, and a map of
#: more points than this is unreadable anyway (PCA draws any number).
TSNE_POINTS = Limit("TSNE_POINTS", 10_000, "points")
