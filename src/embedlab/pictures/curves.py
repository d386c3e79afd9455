"""Training curves: loss per epoch and throughput, from a run's saved history.

A history is what the trainers store in ``Embeddings.meta["history"]``: one dict per epoch with
``epoch``, ``loss`` (mean loss per predicted target), ``words_per_sec`` and ``seconds``. It can
also be read back from a native ``.emb`` file or from the JSON that ``embedlab train --json``
prints.
"""

from __future__ import annotations

import json
import math
import numbers
from pathlib import Path

from matplotlib.ticker import MaxNLocator

from embedlab.errors import EmbedlabError
from embedlab.pictures.render import new_figure, picture_format, save_figure

#: Size of a training-curve picture in inches.
FIGSIZE = (7.0, 6.0)


def plot_history(history, path, title: str | None = None) -> dict:
    """Draw loss per epoch (top) and words per second (bottom) to ``path`` (PNG or SVG).

    Args:
        history: a list of per-epoch dicts with ``epoch`` and ``loss``; ``words_per_sec`` is
            drawn when present. Entries without a loss (a method with no objective) are left
            out of the loss panel.
        path: output file, ``.png`` or ``.svg``; written atomically.
        title: the picture's title (default "Training history").

    Returns:
        The numbers drawn: ``{"epoch": [...], "loss": [...], "words_per_sec": [...]}``, with
        None where an epoch has no value.
    """
    picture_format(path)
    curves = history_curves(history)
    fig = new_figure(FIGSIZE)
    loss_ax, speed_ax = fig.subplots(2, 1, sharex=True)
    _panel(loss_ax, curves["epoch"], curves["loss"], "loss per target", "tab:blue")
    _panel(speed_ax, curves["epoch"], curves["words_per_sec"], "words / s", "tab:green")
    speed_ax.set_xlabel("epoch")
    speed_ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole numbers
    speeds = [v for v in curves["words_per_sec"] if v is not None]
    if speeds:
        speed_ax.set_ylim(0, 1.1 * max(speeds) or 1.0)  # throughput read from zero
    fig.suptitle(title or "Training history")
    fig.tight_layout()
    save_figure(fig, path)
    return curves


def history_curves(history) -> dict:
    """Check a history and return its columns ``epoch``, ``loss``, ``words_per_sec``."""
    if not isinstance(history, (list, tuple)) or not history:
        raise EmbedlabError(
            "the run has no training history (an empty or missing 'history' list): "
            "give a model saved by a trainer that records one, or the JSON of 'embedlab train'"
        )
    curves: dict[str, list] = {"epoch": [], "loss": [], "words_per_sec": []}
    for number, entry in enumerate(history, start=1):
        if not isinstance(entry, dict):
            raise EmbedlabError(f"history entry {number} is not a dict: expected one per epoch")
        curves["epoch"].append(_number(entry.get("epoch", number), "epoch", number))
        for key in ("loss", "words_per_sec"):
            curves[key].append(_number(entry.get(key), key, number, optional=True))
    if all(value is None for value in curves["loss"]):
        raise EmbedlabError(
            "the training history records no loss: this method has no loss curve to draw"
        )
    return curves


def read_history(path) -> list:
    """The history list of a native ``.emb`` model or of a JSON file with a ``history`` list.

    JSON: the list under ``"history"``, or under ``"meta"`` -> ``"history"``.
    """
    path = Path(path)
    if not path.is_file():
        raise EmbedlabError(f"run file {str(path)!r} does not exist: give a .emb model or .json")
    if path.suffix.lower() == ".json":
        return _json_history(path)
    if path.suffix.lower() == ".emb":
        from embedlab.vectors.formats import load  # reading a model pulls in the formats module

        return load(path).meta.get("history") or []
    raise EmbedlabError(
        f"cannot read a training history from {str(path)!r}: give a native .emb model "
        "(saved with its history) or the .json printed by 'embedlab train --json'"
    )


def _json_history(path: Path) -> list:
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        raise EmbedlabError(f"cannot read {str(path)!r} as JSON: {err}") from None
    if isinstance(payload, dict):
        if "history" in payload:
            return payload["history"]
        meta = payload.get("meta")
        if isinstance(meta, dict) and "history" in meta:
            return meta["history"]
    raise EmbedlabError(
        f"{str(path)!r} has no 'history' list: give the JSON printed by 'embedlab train --json'"
    )


def _number(value, key: str, entry: int, optional: bool = False):
    """A number from a history entry; an optional one may be missing, or NaN/inf (diverged)."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise EmbedlabError(f"history entry {entry}: {key} must be a number, got {value!r}")
    if not math.isfinite(value):
        if optional:
            return None
        raise EmbedlabError(f"history entry {entry}: {key} must be finite, got {value!r}")
    return value if key == "epoch" else float(value)


def _panel(ax, epochs, values, label: str, colour: str) -> None:
    points = [(e, v) for e, v in zip(epochs, values, strict=True) if v is not None]
    if points:
        xs, ys = zip(*points, strict=True)
        ax.plot(xs, ys, marker="o", color=colour)
    else:
        ax.text(0.5, 0.5, "not recorded", transform=ax.transAxes, ha="center", color="0.5")
    ax.set_ylabel(label)
    ax.grid(color="0.9", linewidth=0.6)
