"""The lessons' pictures, drawn on `pictures.render`'s Agg figures and written atomically."""

from __future__ import annotations

import numpy as np

from embedlab.pictures.render import new_figure, save_figure

_COLOURS = ("tab:red", "tab:green", "tab:blue", "tab:orange", "tab:purple", "tab:brown")


def save_toy_picture(path, words, trajectories, groups=None, title="") -> None:
    """Word and context vectors side by side, each with the path it took during training.

    ``trajectories`` maps ``"word_vectors"`` and ``"context_vectors"`` to arrays of shape
    (snapshots, |V|, 2); ``groups`` gives each word a group name for its colour.
    """
    groups = groups or {}
    names = sorted(set(groups.values()))
    colour = {g: _COLOURS[i % len(_COLOURS)] for i, g in enumerate(names)}
    fig = new_figure((10, 4.8))
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
    save_figure(fig, path)


def save_pmi_picture(path, shifted_pmi, dots, title="") -> None:
    """Scatter of ``w . c`` against ``PMI - log k``, with the line ``y = x`` SGNS aims for."""
    fig = new_figure((5.5, 5))
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
    save_figure(fig, path)


def save_optimizer_picture(path, result: dict) -> None:
    """Each optimizer's path over the contours of the toy loss."""
    runs = result["runs"]
    points = np.concatenate([np.asarray(r["path"]) for r in runs])
    span = np.abs(points).max(axis=0) * 1.15
    xs = np.linspace(-span[0], span[0], 200)
    ys = np.linspace(-span[1], span[1], 200)
    gx, gy = np.meshgrid(xs, ys)
    a, b = result["curvature"]
    fig = new_figure((7, 4.8))
    ax = fig.subplots()
    ax.contour(gx, gy, 0.5 * (a * gx**2 + b * gy**2), levels=15, colors="0.8", linewidths=0.7)
    for i, run in enumerate(runs):
        path_xy = np.asarray(run["path"])
        label = f"{run['name']} (α={run['alpha']:g})"
        ax.plot(
            path_xy[:, 0],
            path_xy[:, 1],
            marker=".",
            markersize=3,
            linewidth=1,
            color=_COLOURS[i % len(_COLOURS)],
            label=label,
        )
    ax.scatter([0], [0], marker="*", color="black", s=60, zorder=3)
    ax.set_xlabel("w₁")
    ax.set_ylabel("w₂")
    ax.legend(fontsize=8)
    ax.set_title(f"{result['loss']}, {result['steps']} steps")
    save_figure(fig, path)


def save_pca_picture(path, words, coords, title="", axes=("PC 1", "PC 2")) -> None:
    """Labelled points in two dimensions: by default, rows on their first two principal
    components; ``axes`` names the coordinates otherwise (an encoder's code)."""
    fig = new_figure((5.5, 5))
    ax = fig.subplots()
    xy = np.asarray(coords)
    ax.scatter(xy[:, 0], xy[:, 1], s=25)
    for word, point in zip(words, xy, strict=True):
        ax.annotate(word, point, fontsize=8, xytext=(3, 3), textcoords="offset points")
    ax.axhline(0, color="0.85", linewidth=0.8)
    ax.axvline(0, color="0.85", linewidth=0.8)
    ax.set_xlabel(axes[0])
    ax.set_ylabel(axes[1])
    if title:
        ax.set_title(title)
    save_figure(fig, path)


def save_contrastive_picture(path, runs) -> None:
    """Per step and per loss: the mean loss and the largest vector norm (symmetric log scales,
    so a diverging loss and a settling one fit on one axis)."""
    fig = new_figure((10, 4))
    axes = fig.subplots(1, 2)
    for i, run in enumerate(runs):
        steps = [h["step"] for h in run["history"]]
        for ax, key in zip(axes, ("loss", "max_norm"), strict=True):
            ax.plot(steps, [h[key] for h in run["history"]], marker=".",
                    color=_COLOURS[i % len(_COLOURS)], label=run["loss"])  # fmt: skip
    axes[0].set_yscale("symlog")
    axes[1].set_yscale("log")
    _finish_panels(fig, path, axes, ("mean loss", "largest ‖f(x)‖"), "step", fontsize=8)


def _finish_panels(fig, path, axes, titles, xlabel: str, fontsize: int) -> None:
    """Title each panel, label its x axis, add its legend, and write the picture."""
    for ax, title in zip(axes, titles, strict=True):
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.legend(fontsize=fontsize)
    save_figure(fig, path)


#: The negatives picture's four curves: (panel, history key, line style, label).
_NEGATIVE_CURVES = (
    (0, "sigma_pairs", "-", "neighbours"),
    (0, "sigma_unrelated", "--", "vehicle-fruit"),
    (1, "word_norm", "-", "‖w‖"),
    (1, "context_norm", "--", "‖c‖"),
)


def save_negatives_picture(path, runs: dict) -> None:
    """Per epoch, with and without negatives: the scores σ(w·c) and the vector norms."""
    fig = new_figure((10, 4))
    axes = fig.subplots(1, 2)
    for i, (name, history) in enumerate(runs.items()):
        epochs = [h["epoch"] for h in history]
        for panel, key, style, label in _NEGATIVE_CURVES:
            axes[panel].plot(
                epochs,
                [h[key] for h in history],
                color=_COLOURS[i % len(_COLOURS)],
                linestyle=style,
                label=f"{name}: {label}",
            )
    _finish_panels(fig, path, axes, ("mean σ(w·c)", "mean vector norm"), "epoch", fontsize=7)
