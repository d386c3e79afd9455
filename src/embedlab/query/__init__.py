"""Answers to questions about vectors, as plain data: one layer under the CLI, the comparison
report and the explorer.

Nothing here prints, draws or serves. Each function takes vectors of the protocol
(``vectors/base.py``) and returns dicts of lists, strings and numbers that are JSON as they
stand: ``neighbours`` and ``analogy`` (3CosAdd, 3CosMul), ``describe`` (what a file holds),
``Completions`` (words by prefix), ``Comparison`` (two models: neighbour overlaps, the second
aligned to the first by orthogonal Procrustes, the evaluation pairs they disagree on), and
``parse_formula``/``direction`` (axes such as ``man - woman``). ``open_vectors`` is the one
policy for opening a file (memory-mapped where the format allows).
"""

from __future__ import annotations

from embedlab.query.compare import Comparison
from embedlab.query.completion import Completions
from embedlab.query.describe import describe
from embedlab.query.formulas import direction, parse_formula
from embedlab.query.neighbours import ANALOGY_METHODS, analogy, neighbours, query_terms
from embedlab.query.sources import Model, is_vectors, open_vectors, source_names

__all__ = [
    "ANALOGY_METHODS",
    "Comparison",
    "Completions",
    "Model",
    "analogy",
    "describe",
    "direction",
    "is_vectors",
    "neighbours",
    "open_vectors",
    "parse_formula",
    "query_terms",
    "source_names",
]
