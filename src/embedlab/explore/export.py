"""What the page exports: the map's coordinates and neighbour lists as CSV, and the pair of TSV
files the TensorFlow Embedding Projector loads (``vectors.tsv`` and ``metadata.tsv``).

The Projector's format: ``vectors.tsv`` has one tab-separated vector per line and no header;
``metadata.tsv`` has one line per vector in the same order, with no header when it has a single
column and a header line when it has several (here ``word`` and ``group``).
"""

from __future__ import annotations

import csv
import io

import numpy as np

from embedlab.query.neighbours import nearest_rows, neighbours, word_vectors
from embedlab.vectors.base import BLOCK_CELLS


def map_csv(result: dict) -> str:
    """``word,x,y,group`` per point of a map (the API's map answer); a second model's points of
    a joint map as ``x2,y2``."""
    joint = "x2" in result
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["word", "x", "y", *(["x2", "y2"] if joint else []), "group"])
    columns = [result["x"], result["y"], *([result["x2"], result["y2"]] if joint else [])]
    for i, word in enumerate(result["words"]):
        writer.writerow([word, *(repr(c[i]) for c in columns), result["group"][i] or ""])
    return out.getvalue()


def neighbours_csv(emb, words: list[str], k: int) -> str:
    """``word,rank,neighbour,similarity``: each word's ``k`` nearest words by cosine."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["word", "rank", "neighbour", "similarity"])
    known = [w for w in words if w in emb]
    positions, cosines = nearest_rows(emb, emb.rows(known), k) if known else ([], [])
    table = {w: (p, c) for w, p, c in zip(known, positions, cosines, strict=True)}
    for word in words:
        if word in table:
            found = [(emb.words[j], float(s)) for j, s in zip(*table[word], strict=True)]
        else:  # composed by a subword model: one query by its vector
            answer = neighbours(emb, [word], topn=k)["results"]
            found = [(r["word"], r["similarity"]) for r in answer]
        for rank, (other, score) in enumerate(found, start=1):
            writer.writerow([word, rank, other, repr(score)])
    return out.getvalue()


def vectors_tsv(emb, words: list[str]) -> str:
    """The Projector's ``vectors.tsv``: the vectors of ``words``, tab-separated, no header."""
    out = io.StringIO()
    block = max(1, BLOCK_CELLS // max(emb.dim, 1))
    for start in range(0, len(words), block):
        rows = word_vectors(emb, words[start : start + block])
        np.savetxt(out, rows, fmt="%.7g", delimiter="\t")
    return out.getvalue()


def metadata_tsv(words: list[str], groups: dict[str, list[str]]) -> str:
    """The Projector's ``metadata.tsv`` for ``words``: one column (no header) without groups,
    ``word`` and ``group`` under a header line with them."""
    named = group_of(groups)
    lines = [_cell(w) for w in words]
    if groups:
        lines = ["word\tgroup"] + [f"{_cell(w)}\t{_cell(named.get(w, ''))}" for w in words]
    return "\n".join(lines) + "\n"


def group_of(groups: dict[str, list[str]]) -> dict[str, str]:
    """word -> the name of the first group holding it."""
    named: dict[str, str] = {}
    for name, members in groups.items():
        for word in members:
            named.setdefault(word, name)  # a word in two groups takes the first's colour
    return named


def _cell(text: str) -> str:
    """A TSV cell: tabs and line breaks, which the Projector cannot quote, become spaces."""
    return " ".join(str(text).replace("\t", " ").splitlines())
