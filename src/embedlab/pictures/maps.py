"""Maps of word vectors: chosen words projected to 2-D, labelled, grouped and linked by arrows.

The words come from an explicit list, named groups (one colour each, in the legend), the ``top``
most frequent words, and analogy pairs (drawn as arrows ``a -> b``: parallel arrows of equal
length are what a good analogy looks like). Labels are placed so that none overlaps another
(see ``labels.py``); one moved away from its point gets a thin leader line.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from embedlab.checks import check_int
from embedlab.errors import EmbedlabError, UnknownWordError, warn
from embedlab.pictures.labels import place_labels
from embedlab.pictures.projection import METHODS, project
from embedlab.pictures.render import DPI, new_figure, picture_format, save_figure
from embedlab.vectors.keyed import as_vectors

#: Words shown when none are asked for: the most frequent ones.
DEFAULT_TOP = 30
#: More words than this cannot be labelled legibly on one picture.
MAX_WORDS = 200
#: Size of a map in inches (at ``render.DPI`` dots per inch).
FIGSIZE = (10.0, 8.0)
#: Label font size in points.
FONTSIZE = 9
#: Half the side of a point's marker, in pixels (labels keep clear of it).
MARKER = 3.0

_UNGROUPED = "#404040"
_METHOD_NAMES = {"pca": "PCA", "tsne": "t-SNE"}


@dataclass(frozen=True)
class WordMap:
    """The numbers behind a map.

    Attributes:
        words: the words shown, in the order they were asked for (duplicates dropped).
        coords: float64 (n, 2), each word's position in the projection.
        method: ``"pca"`` or ``"tsne"``.
        explained_variance_ratio: PCA's share of variance on each axis; None for t-SNE.
        groups: word -> group name, for the words in a group.
        label_boxes: float64 (n, 4), each label's ``x0, y0, x1, y1`` in image pixels (origin
            at the bottom left), as drawn.
        size: the picture's width and height in pixels.
    """

    words: list[str]
    coords: np.ndarray
    method: str
    explained_variance_ratio: np.ndarray | None
    groups: dict[str, str]
    label_boxes: np.ndarray
    size: tuple[int, int]

    def to_dict(self) -> dict:
        """JSON-able: the method, the variance ratios and one ``{word, x, y, group}`` per word."""
        ratio = self.explained_variance_ratio
        return {
            "method": self.method,
            "explained_variance_ratio": None if ratio is None else [float(r) for r in ratio],
            "points": [
                {"word": w, "x": float(x), "y": float(y), "group": self.groups.get(w)}
                for w, (x, y) in zip(self.words, self.coords, strict=True)
            ],
        }


def plot_map(
    emb,
    words=None,
    groups=None,
    top=None,
    pairs=None,
    method: str = "pca",
    *,
    path,
    title: str | None = None,
    seed: int = 0,
) -> WordMap:
    """Draw a 2-D map of word vectors to ``path`` (PNG or SVG by extension), atomically.

    Args:
        emb: any vectors of the protocol (dense ``Embeddings``, sparse PPMI rows, ...) or
            gensim's ``KeyedVectors``, its words in frequency order.
        words: words to show, in priority order for label placement.
        groups: ``{name: [words]}``; each group gets a colour and a legend entry. A word in
            several groups takes the first group's colour.
        top: also show the ``top`` most frequent words. With no words, groups or pairs at all,
            the :data:`DEFAULT_TOP` most frequent words are shown.
        pairs: ``[(a, b), ...]`` drawn as arrows from ``a`` to ``b`` (e.g. ``("man", "king")``).
        method: ``"pca"`` (default) or ``"tsne"``.
        path: output file, ``.png`` or ``.svg``.
        title: the picture's title; default names the method and the number of words.
        seed: t-SNE's random state (default 0); PCA needs none.

    Returns:
        The :class:`WordMap` with the coordinates drawn. Words the vectors lack are left off
        with one warning naming them all (an arrow with one of them too); when none of the
        words asked for is known, ``UnknownWordError`` lists them, before anything is written.
    """
    picture_format(path)
    fig, word_map = draw_map(emb, words, groups, top, pairs, method, title=title, seed=seed)
    save_figure(fig, path)
    return word_map


def draw_map(
    emb,
    words=None,
    groups=None,
    top=None,
    pairs=None,
    method: str = "pca",
    *,
    title: str | None = None,
    seed: int = 0,
    figsize: tuple[float, float] = FIGSIZE,
):
    """The map of :func:`plot_map` as an unsaved ``(Figure, WordMap)``, e.g. for a report."""
    emb = as_vectors(emb)
    if method not in METHODS:
        raise EmbedlabError(f"unknown map method {method!r}: use one of {', '.join(METHODS)}")
    pairs = _check_pairs(pairs)
    shown, group_of = select_words(emb, words, groups, top, pairs)
    known = set(shown)
    pairs = [(a, b) for a, b in pairs if a in known and b in known]
    # only the shown rows are projected: a map of sparse PPMI rows never densifies the matrix
    projection = project(emb[shown], method=method, seed=seed)
    fig = new_figure(figsize)
    ax = fig.subplots()
    _scatter(ax, shown, projection.coords, group_of, groups)
    _arrows(ax, shown, projection.coords, pairs)
    _frame(ax, projection, len(shown), title)
    fig.tight_layout()
    boxes = _labels(fig, ax, shown, projection.coords)
    width, height = fig.canvas.get_width_height()
    word_map = WordMap(
        words=shown,
        coords=projection.coords,
        method=method,
        explained_variance_ratio=projection.explained_variance_ratio,
        groups=group_of,
        label_boxes=boxes,
        size=(int(width), int(height)),
    )
    return fig, word_map


def select_words(emb, words=None, groups=None, top=None, pairs=None):
    """The words to show (first mention wins the order) and each grouped word's group.

    Words the vectors lack, wherever they were given, are left out with one warning naming
    them all; if no word is left, one ``UnknownWordError`` names them.
    """
    asked: list[str] = list(words or [])
    group_of: dict[str, str] = {}
    for name, members in (groups or {}).items():
        if not members:
            raise EmbedlabError(f"group {name!r} has no words: give NAME=word1,word2")
        asked.extend(members)
        for word in members:
            group_of.setdefault(word, str(name))
    for a, b in pairs or []:
        asked.extend((a, b))
    if top is None and not asked:
        top = DEFAULT_TOP
    if top is not None:
        top = check_int("top", top, minimum=1)
        asked.extend(emb.words[: min(top, len(emb.words))])
    # a subword kind composes a vector for any word, so only the others are left off
    unknown = [w for w in dict.fromkeys(asked) if not emb.has_vector(w)]
    shown = [w for w in dict.fromkeys(asked) if emb.has_vector(w)]
    if unknown and not shown:
        raise UnknownWordError(unknown)
    if unknown:
        group_of = {word: name for word, name in group_of.items() if emb.has_vector(word)}
        noun = "word" if len(unknown) == 1 else "words"
        arrows = " (and the arrows with them)" if pairs else ""
        warn(
            f"{len(unknown)} {noun} not in the vectors, left off the map{arrows}: "
            + ", ".join(map(repr, unknown))
        )
    if len(shown) > MAX_WORDS:
        raise EmbedlabError(
            f"{len(shown)} words asked for; at most {MAX_WORDS} fit on a map: ask for fewer"
        )
    return shown, group_of


def _check_pairs(pairs) -> list[tuple[str, str]]:
    checked = []
    for pair in pairs or []:
        if isinstance(pair, str) or len(pair) != 2:
            raise EmbedlabError(f"an analogy pair has two words (a, b); got {pair!r}")
        checked.append((str(pair[0]), str(pair[1])))
    return checked


def _scatter(ax, shown, coords, group_of, groups) -> None:
    names = list(dict.fromkeys(str(name) for name in groups or {}))
    area = (2 * MARKER * 72.0 / DPI) ** 2  # scatter sizes are in points squared
    ungrouped = [i for i, w in enumerate(shown) if w not in group_of]
    if ungrouped:
        label = "other words" if names else None
        ax.scatter(*coords[ungrouped].T, s=area, color=_UNGROUPED, label=label, zorder=3)
    for number, name in enumerate(names):
        members = [i for i, w in enumerate(shown) if group_of.get(w) == name]
        if members:  # a group none of whose words is known gets no legend entry
            colour = f"C{number % 10}"
            ax.scatter(*coords[members].T, s=area, color=colour, label=name, zorder=3)


def _arrows(ax, shown, coords, pairs) -> None:
    position = {w: coords[i] for i, w in enumerate(shown)}
    for a, b in pairs:
        ax.annotate(
            "",
            xy=position[b],
            xytext=position[a],
            arrowprops={
                "arrowstyle": "-|>",
                "mutation_scale": 14,
                "color": "tab:red",
                "linewidth": 1.2,
                "alpha": 0.8,
            },
            zorder=2,
        )
    if pairs:
        # annotations have no legend handle; an empty line of the arrows' colour stands in
        ax.plot([], [], color="tab:red", linewidth=1.2, label="pair a \u2192 b")


def _frame(ax, projection, n_words: int, title: str | None) -> None:
    name = _METHOD_NAMES[projection.method]
    ratio = projection.explained_variance_ratio
    for axis, set_label in enumerate((ax.set_xlabel, ax.set_ylabel)):
        if ratio is None:
            set_label(f"{name} dimension {axis + 1}")
        else:
            set_label(f"PC{axis + 1} ({100 * ratio[axis]:.1f}% of variance)")
    ax.set_title(title if title is not None else f"{name} map of {n_words} words")
    # fixed limits with a margin: labels are placed in pixels, so the scale must not change
    low, high = projection.coords.min(axis=0), projection.coords.max(axis=0)
    margin = np.maximum((high - low) * 0.08, 1e-6 + 0.05 * np.abs(high))
    ax.set_xlim(low[0] - margin[0], high[0] + margin[0])
    ax.set_ylim(low[1] - margin[1], high[1] + margin[1])
    ax.grid(color="0.92", linewidth=0.6, zorder=0)
    handles, _ = ax.get_legend_handles_labels()
    if handles:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=FONTSIZE)


def _labels(fig, ax, shown, coords) -> np.ndarray:
    """Write the labels where they do not overlap; leader lines to far ones; the drawn boxes."""
    renderer = fig.canvas.get_renderer()
    texts = [
        ax.text(0.0, 0.0, word, ha="center", va="center", fontsize=FONTSIZE, zorder=4)
        for word in shown
    ]
    sizes = np.array([[b.width, b.height] for b in _extents(texts, renderer)])
    anchors = ax.transData.transform(coords)
    frame = ax.get_window_extent(renderer)
    centres = place_labels(anchors, sizes, frame.extents, marker=MARKER)
    to_data = ax.transData.inverted()
    for text, centre in zip(texts, to_data.transform(centres), strict=True):
        text.set_position(centre)
    for anchor, centre, size in zip(anchors, centres, sizes, strict=True):
        end = _nearest_edge_point(anchor, centre, size)
        if np.hypot(*(end - anchor)) > 2.5 * MARKER:
            line = to_data.transform(np.vstack([anchor, end]))
            ax.plot(line[:, 0], line[:, 1], color="0.6", linewidth=0.6, zorder=1)
    fig.canvas.draw()
    return np.array([list(b.extents) for b in _extents(texts, renderer)], dtype=np.float64)


def _extents(texts, renderer):
    return [text.get_window_extent(renderer) for text in texts]


def _nearest_edge_point(point: np.ndarray, centre: np.ndarray, size: np.ndarray) -> np.ndarray:
    """The point of a label's box (centre, size) closest to ``point``."""
    half = size / 2.0
    return np.clip(point, centre - half, centre + half)
