"""Label placement: each word label takes the free spot nearest its point.

Everything happens in display coordinates (pixels), where text has a fixed size whatever the
data's scale. Labels are placed one at a time, in the order given (the caller lists the most
important words first). A label's preferred spot is just right of its point; if that spot
overlaps a label already placed or covers a point, the label takes the nearest spot on a fine
grid over the plotting area that is free. So no two labels ever overlap unless the area is too
small to hold them all, and the same input always gives the same layout. A label that ends up
away from its point gets a leader line from the caller.
"""

from __future__ import annotations

import numpy as np

#: Gap kept between two labels, and between a label and a point (pixels).
PADDING = 1.5
#: Spacing of the grid of candidate spots (pixels): fine enough to use small gaps.
GRID_STEP = 3.0
#: Distances (pixels, horizontal ones halved) bounding the rings of spots searched in turn.
RINGS = (8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, np.inf)


def place_labels(anchors, sizes, bounds, marker: float = 3.0) -> np.ndarray:
    """Centres (n, 2) for labels of ``sizes`` near ``anchors``, no two overlapping.

    Args:
        anchors: (n, 2) pixel positions of the points being labelled.
        sizes: (n, 2) label widths and heights in pixels.
        bounds: ``(x0, y0, x1, y1)``, the pixel rectangle the labels must stay inside.
        marker: half the side of the square each point occupies, in pixels.

    Returns:
        float64 (n, 2) label centres. A label avoids the other labels and, where it can, every
        point; it overlaps another label only when no free spot of its size is left in
        ``bounds`` (then it stays at its preferred spot; :func:`overlaps` tells).
    """
    anchors = np.asarray(anchors, dtype=np.float64).reshape(-1, 2)
    half = np.asarray(sizes, dtype=np.float64).reshape(-1, 2) / 2.0
    points_half = np.full_like(anchors, marker)
    centres = np.empty_like(anchors)
    for i in range(len(anchors)):
        preferred = anchors[i] + np.array([half[i, 0] + marker + PADDING, 0.0])
        fallback = None
        for spots in _candidates(preferred, half[i], bounds):
            free = ~_hits(spots, half[i], centres[:i], half[:i])
            clear = free & ~_hits(spots, half[i], anchors, points_half)
            if clear.any():
                fallback = spots[np.argmax(clear)]
                break
            if fallback is None and free.any():
                fallback = spots[np.argmax(free)]
        centres[i] = preferred if fallback is None else fallback
    return centres


def overlaps(centres, sizes) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, i < j, of labels whose boxes intersect (touching edges do not count)."""
    centres = np.asarray(centres, dtype=np.float64).reshape(-1, 2)
    half = np.asarray(sizes, dtype=np.float64).reshape(-1, 2) / 2.0
    hit = np.all(
        np.abs(centres[:, None, :] - centres[None, :, :]) < half[:, None, :] + half[None, :, :],
        axis=2,
    )
    i, j = np.nonzero(np.triu(hit, k=1))
    return list(zip(i.tolist(), j.tolist(), strict=True))


def _candidates(preferred: np.ndarray, half: np.ndarray, bounds):
    """Batches of spots for a label centre inside ``bounds``, nearest to ``preferred`` first.

    The preferred spot itself (pulled inside the bounds) comes first, then a grid over the
    bounds in rings of growing distance, so a label with room nearby never sorts the far grid.
    Ties in distance keep the grid's order: the ranking never depends on sort internals.
    """
    x0, y0, x1, y1 = bounds
    low = np.array([x0, y0], dtype=np.float64) + half
    high = np.maximum(np.array([x1, y1], dtype=np.float64) - half, low)
    first = np.clip(preferred, low, high)
    yield first[None, :]
    xs = np.arange(low[0], high[0] + 1e-9, GRID_STEP)
    ys = np.arange(low[1], high[1] + 1e-9, GRID_STEP)
    grid = np.stack(np.meshgrid(xs, ys, indexing="ij"), axis=-1).reshape(-1, 2)
    # a label is wide: moving it sideways costs less readability than moving it off its line
    distance = np.hypot((grid[:, 0] - first[0]) * 0.5, grid[:, 1] - first[1])
    inner = -1.0
    for outer in RINGS:
        ring = np.flatnonzero((distance > inner) & (distance <= outer))
        inner = outer
        if ring.size:
            yield grid[ring[np.argsort(distance[ring], kind="stable")]]


def _hits(spots, half, centres, halves) -> np.ndarray:
    """For each spot, whether a box of ``half`` there overlaps any of the boxes given."""
    # only boxes that can reach the spots' bounding rectangle matter; the rest cost time
    middle = (spots.min(axis=0) + spots.max(axis=0)) / 2.0
    span = (spots.max(axis=0) - spots.min(axis=0)) / 2.0
    near = np.all(np.abs(centres - middle) < span + half + halves + PADDING, axis=1)
    centres, halves = centres[near], halves[near]
    if len(centres) == 0:
        return np.zeros(len(spots), dtype=bool)
    gap = np.abs(spots[:, None, :] - centres[None, :, :])
    reach = half[None, None, :] + halves[None, :, :] + PADDING
    return np.any(np.all(gap < reach, axis=2), axis=1)
