"""The comparison report as one self-contained HTML page.

Everything the page shows is inside the file: the style sheet is inline, the pictures are PNGs
in ``data:`` URIs, and no font, script or style is fetched from anywhere, so the report opens
offline, can be mailed as one attachment and never leaks a request. All text from the inputs
(file names, words, benchmark names) is HTML-escaped.
"""

from __future__ import annotations

import base64
import html

import numpy as np

from embedlab.fileio import atomic_write
from embedlab.pictures.maps import draw_map
from embedlab.pictures.render import figure_bytes, new_figure

#: Size of each file's map and of each benchmark's bar chart, in inches.
MAP_FIGSIZE = (6.4, 5.2)
BAR_FIGSIZE = (5.0, 3.0)

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.7em; }
th { background: #f2f2f2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.best { background: #d9f2d9; font-weight: bold; }
tr.coverage td { color: #555; font-size: 0.92em; }
.pictures { display: flex; flex-wrap: wrap; gap: 1em; }
figure { margin: 0; }
figcaption { text-align: center; font-size: 0.9em; color: #444; }
.note { color: #666; }
"""


def write_report(comparison: dict, embeddings, path) -> None:
    """Write the HTML report for ``comparison`` (from ``compare``) to ``path`` atomically."""
    page = render_html(comparison, embeddings)
    with atomic_write(path, "w", encoding="utf-8") as handle:
        handle.write(page)


def render_html(comparison: dict, embeddings) -> str:
    """The whole page as a string."""
    names = comparison["names"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_esc(_title(names))}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{_esc(_title(names))}</h1>",
        _files_table(comparison["files"]),
        "<h2>Scores</h2>",
        '<p class="note">The best value of each row is highlighted. Coverage is the share of '
        "pairs, questions or test tokens the vectors could answer; compare scores only "
        "alongside it.</p>",
        _scores_table(names, comparison["rows"]),
        "<h2>Maps of the same words</h2>",
        _maps(comparison["map_words"], names, embeddings),
        "<h2>Benchmarks</h2>",
        _bars(names, comparison["rows"]),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _title(names: list[str]) -> str:
    return f"embedlab comparison of {len(names)} vectors file{'s' if len(names) != 1 else ''}"


def _files_table(files: list[dict]) -> str:
    rows = "".join(
        f"<tr><td>{_esc(f['name'])}</td><td>{_esc(f['source'] or '(in memory)')}</td>"
        f"<td>{_esc(f['method'] or '-')}</td></tr>"
        for f in files
    )
    return f"<table><tr><th>name</th><th>source</th><th>method</th></tr>{rows}</table>"


def _scores_table(names: list[str], rows: list[dict]) -> str:
    header = "".join(f"<th>{_esc(name)}</th>" for name in names)
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="num{" best" if i in row["best"] else ""}">'
            f"{_esc(format_value(value, row['kind']))}</td>"
            for i, value in enumerate(row["values"])
        )
        body.append(f'<tr class="{row["kind"]}"><td>{_esc(row["metric"])}</td>{cells}</tr>')
    return f"<table><tr><th>metric</th>{header}</tr>{''.join(body)}</table>"


def format_value(value, kind: str) -> str:
    """A table cell: counts with separators, coverage in percent, scores to four places."""
    if value is None:
        return "-"
    if kind in ("size", "info"):
        return f"{int(value):,}"
    if kind == "coverage":
        return f"{100 * value:.1f}%"
    return f"{value:.4f}"


def _maps(words: list[str], names: list[str], embeddings) -> str:
    if len(words) < 2:
        return '<p class="note">No map: the files share fewer than two words.</p>'
    figures = []
    for name, emb in zip(names, embeddings, strict=True):
        fig, _ = draw_map(emb, words=words, title=name, figsize=MAP_FIGSIZE)
        figures.append(_figure(figure_bytes(fig), f"PCA map of {len(words)} words: {name}", name))
    return f'<div class="pictures">{"".join(figures)}</div>'


def _bars(names: list[str], rows: list[dict]) -> str:
    charts = []
    for row in rows:
        if row["kind"] != "score" or row["metric"].endswith(("semantic", "syntactic")):
            continue  # one chart per benchmark: its headline score
        if all(v is None for v in row["values"]):
            continue
        png = figure_bytes(_bar_chart(names, row))
        charts.append(_figure(png, f"bar chart of {row['metric']}", row["metric"]))
    if not charts:
        return '<p class="note">No benchmark produced a score.</p>'
    return f'<div class="pictures">{"".join(charts)}</div>'


def _bar_chart(names: list[str], row: dict):
    fig = new_figure(BAR_FIGSIZE)
    ax = fig.subplots()
    values = np.array([np.nan if v is None else v for v in row["values"]], dtype=np.float64)
    colours = ["tab:green" if i in row["best"] else "tab:gray" for i in range(len(names))]
    positions = np.arange(len(names))
    ax.bar(positions, np.nan_to_num(values), color=colours)
    for x, v in zip(positions, values, strict=True):
        label = "n/a" if np.isnan(v) else f"{v:.3f}"
        ax.annotate(label, (x, 0 if np.isnan(v) else v), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(positions, [_shorten(n) for n in names], rotation=20, ha="right", fontsize=8)
    ax.set_title(row["metric"], fontsize=10)
    ax.axhline(0, color="0.5", linewidth=0.6)
    top = np.nanmax(values) if np.any(~np.isnan(values)) else 1.0
    ax.set_ylim(min(0.0, np.nanmin(values) * 1.15), max(top * 1.15, 1e-3))
    fig.tight_layout()
    return fig


def _figure(png: bytes, alt: str, caption: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure><img alt="{_esc(alt)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{_esc(caption)}</figcaption></figure>"
    )


def _shorten(name: str, width: int = 24) -> str:
    return name if len(name) <= width else "\u2026" + name[-(width - 1) :]


def _esc(text) -> str:
    return html.escape(str(text), quote=True)
