"""How the lessons print: tables that never split a vector, wrapped lines, slip notes, pictures.

A table wider than the terminal wraps its words; if a number or a vector would still be cut or
wrapped, its columns are split into parts that fit, each repeating the first column. Free text
wraps at the terminal width between words, never inside a parenthesised vector such as
``(0.002, 0.010)``.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections import Counter
from pathlib import Path

from rich.console import Console, Group

from embedlab.cli.common import console
from embedlab.cli.common import table as _plain_table

#: A parenthesised list of numbers: never broken across lines.
_VECTOR = re.compile(
    r"\(\s*-?(?:inf|\d[\d.]*(?:e[+-]?\d+)?)(?:,\s*-?(?:inf|\d[\d.]*(?:e[+-]?\d+)?))+\s*\)"
)
_DIGIT = re.compile(r"\d")
_KEEP = "\x00"  # stands for a space that must not break while text is wrapped


def num(value, digits: int) -> str:
    return "-inf" if value is None else f"{value:.{digits}f}"


def wide(value, digits: int) -> str:
    """``num``, or powers of ten once fixed decimals would run past a dozen digits."""
    return num(value, digits) if not abs(value) >= 1e6 else f"{value:.{digits}e}"


def vec(values, digits: int) -> str:
    return "(" + ", ".join(num(v, digits) for v in values) + ")"


def labelled_rows(labels, matrix, digits: int) -> list[list[str]]:
    """One table row per matrix row: its label, then the numbers."""
    return [
        [label, *(num(v, digits) for v in row)] for label, row in zip(labels, matrix, strict=True)
    ]


def vectors_table(title: str, vectors: dict, digits: int):
    dim = len(next(iter(vectors.values())))
    return table(
        title,
        ["word", *(f"x{i + 1}" for i in range(dim))],
        labelled_rows(vectors.keys(), vectors.values(), digits),
    )


def table(title, columns, rows):
    """A teaching table that fits the terminal without cutting a number or a vector: as it is
    (words wrap), else in parts that each repeat the first column."""
    out = _table(title, columns, rows)
    if _fits(out, rows) or len(columns) < 3:
        return out
    parts = _column_groups(title, columns, rows)
    return Group(
        *(_table(t, [columns[i] for i in g], [[r[i] for i in g] for r in rows]) for t, g in parts)
    )


def _table(title, columns, rows):
    out = _plain_table(title, columns, rows)
    for i, column in enumerate(out.columns):
        column.overflow = "fold"
        # words and headers may wrap, a number or a vector may not: the widest sets the minimum
        column.min_width = max((len(p) for row in rows for p in _pieces(str(row[i]))), default=1)
    out.pad_edge = _fits(out, rows)  # the two outer spaces go before anything else would
    return out


def _pieces(text: str) -> list[str]:
    """What must stay on one line: each vector of numbers, and each other word with a digit."""
    vectors = _VECTOR.findall(text)
    rest = _VECTOR.sub(" ", text).replace("│", " ").replace("┃", " ").split()
    return vectors + [token for token in rest if _DIGIT.search(token)]


def _fits(out, rows) -> bool:
    """Whether ``out`` renders at the terminal's width with every number and vector whole
    (rendered once aside: Rich squeezes a table that does not fit, minimum widths or not)."""
    probe = Console(width=console.width, file=io.StringIO(), color_system=None)
    probe.print(out)
    rendered = Counter(p for line in probe.file.getvalue().splitlines() for p in _pieces(line))
    wanted = Counter(p for row in rows for cell in row for p in _pieces(str(cell)))
    return all(rendered[p] >= n for p, n in wanted.items())


def _column_groups(title, columns, rows) -> list[tuple[str, list[int]]]:
    """The columns after the first, in consecutive groups that fit beside the first."""

    def fits(group) -> bool:
        picked = [[r[i] for i in group] for r in rows]
        return _fits(_table(title, [columns[i] for i in group], picked), picked)

    groups, current = [], [0]
    for j in range(1, len(columns)):
        if len(current) > 1 and not fits([*current, j]):
            groups.append(current)
            current = [0]
        current = [*current, j]
    groups.append(current)
    return [(f"{title} (continued)" if k and title else title, g) for k, g in enumerate(groups)]


def say(text: str, indent: str = "", style: str | None = None, hang: str | None = None) -> None:
    """Print ``text`` wrapped at the terminal's width, never inside a vector of numbers;
    ``indent`` starts every line, ``hang`` (default ``indent``) the lines after the first."""
    kept = _VECTOR.sub(lambda m: m.group(0).replace(" ", _KEEP), text)
    lines = []
    for paragraph in kept.split("\n"):
        lines += textwrap.wrap(
            paragraph,
            width=max(console.width, 20),
            initial_indent=indent,
            subsequent_indent=indent if hang is None else hang,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [""]
    console.print("\n".join(lines).replace(_KEEP, " "), style=style, soft_wrap=True, markup=False)


def print_slips(slips: list[dict]) -> None:
    """The notes' slips under the numbers: each quantity, the slide's value, the computed one
    and why (the same entries docs/lectures.md shows as boxes)."""
    for slip in slips:
        console.print()
        say(f"{slip['heading']} ({slip['notes']}): {slip['title']}", style="bold")
        rows = [[r["quantity"], r["slide"], r["computed"]] for r in slip["rows"]]
        console.print(table(None, slip["columns"], rows))
        say(slip["why"])


def check_plot(plot: Path | None) -> None:
    """Refuse an unwritable path or a suffix other than .png/.svg before the work."""
    from embedlab.pictures.render import picture_format

    if plot is not None:
        picture_format(plot)


def save_plot(plot: Path | None, draw, as_json: bool) -> None:
    """Draw the picture if asked and, unless stdout is JSON, say where it went (the path was
    checked before the work)."""
    if plot is not None:
        draw(plot)
        if not as_json:
            console.print(f"picture written to {plot}")
