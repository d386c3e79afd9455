"""The lessons' two pictures, drawn with matplotlib's Agg canvas and written atomically."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from embedlab.fileio import atomic_write

_COLOURS = ("tab:red", "tab:green", "tab:blue", "tab:orange", "tab:purple", "tab:brown")


def _save(fig: Figure, path) -> None:
    FigureCanvasAgg(fig)  # a Figure without pyplot needs a canvas before it can be saved
    with atomic_write(path, "wb") as handle:
        fig.savefig(handle, format="png", dpi=120)


def save_toy_picture(path, words, trajectories, groups=None, title="") -> None:
    """Word and context vectors side by side, each with the path it took during training.

    ``trajectories`` maps ``"word_vectors"`` and ``"context_vectors"`` to arrays of shape
    (snapshots, |V|, 2); ``groups`` gives each word a group name for its colour.
    """
    groups = groups or {}
    names = sorted(set(groups.values()))
    colour = {g: _COLOURS[i % len(_COLOURS)] for i, g in enumerate(names)}
    fig = Figure(figsize=(10, 4.8))
    for ax, key in zip(fig.subplots(1, 2), ("word_vectors", "context_vectors"), strict=True):
        path_xy = np.asarray(trajectories[key])
        for i, word in enumerate(words):
            c = colour.get(groups.get(word), "tab:gray")
            ax.plot(path_xy[:, i, 0], path_xy[:, i, 1], color=c, alpha=0.35, linewidth=1)
            ax.scatter(path_xy[-1, i, 0], path_xy[-1, i, 1], color=c, s=25)
            ax.annotate(word, path_xy[-1, i], fontsize=8, xytext=(3, 3), textcoords="offset points")
        ax.axhline(0, color="0.85", linewidth=0.8)
        ax.axvline(0, color="0.85", linewidth=0.8)
        ax.set_title(key.replace("_", " "))
    if title:
        fig.suptitle(title)
    _save(fig, path)


def save_pmi_picture(path, shifted_pmi, dots, title="") -> None:
    """Scatter of ``w . c`` against ``PMI - log k``, with the line ``y = x`` SGNS aims for."""
    fig = Figure(figsize=(5.5, 5))
    ax = fig.subplots()
    ax.scatter(shifted_pmi, dots, s=6, alpha=0.5)
    lo = float(min(np.min(shifted_pmi), np.min(dots)))
    hi = float(max(np.max(shifted_pmi), np.max(dots)))
    ax.plot([lo, hi], [lo, hi], color="tab:red", linewidth=1, label="w·c = PMI − ln k")
    ax.set_xlabel("PMI(w, c) − ln k")
    ax.set_ylabel("w · c (trained SGNS)")
    ax.legend(loc="upper left")
    if title:
        ax.set_title(title)
    _save(fig, path)
