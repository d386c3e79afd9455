"""The word2vec objectives by name: the one place an objective is registered.

Each entry is an ``Objective`` (see ``base.py``) declared in the objective's own file; the
estimators' ``objective`` parameter accepts exactly these names. Adding an objective is one new
file here and one line below (docs/architecture.md, "Adding an objective").
"""

from __future__ import annotations

from embedlab.methods.word2vec.objectives import hierarchical, infonce, negative, softmax
from embedlab.methods.word2vec.objectives.base import Objective

OBJECTIVES: dict[str, Objective] = {
    entry.name: entry
    for entry in (negative.OBJECTIVE, hierarchical.OBJECTIVE, softmax.OBJECTIVE, infonce.OBJECTIVE)
}
