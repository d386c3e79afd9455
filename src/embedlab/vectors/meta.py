"""What a model's ``meta`` may hold, checked field by field.

``meta`` is JSON the trainers write and readers trust: ``info`` sums the history's seconds,
``plot-history`` draws its losses, a resumed run continues from the schedule. A file is not
trusted for that (the native format checksums its arrays, not its header), so every field those
readers use is checked for its type when vectors are made or loaded; the fields nobody reads
are kept as they are.
"""

from __future__ import annotations

import numbers

#: A history entry's fields that are numbers (or null: not recorded, or diverged).
_NUMBERS = ("loss", "words_per_sec", "seconds", "alpha", "lr")
#: ``meta["schedule"]``'s fields (``methods/word2vec/resume.py``) and their kinds.
SCHEDULE = {
    "epochs_done": "count",
    "epochs": "count",
    "words_done": "count",
    "words_total": "count",
    "alpha_position": "number",
    "next_alpha": "number",
    "seed": "count",
    "alpha": "number",
    "min_alpha": "number",
}
_GRAPH = {"nodes": "count", "edges": "count", "directed": "flag", "weighted": "flag"}


def meta_problem(meta: dict) -> str | None:
    """What is wrong with the fields of ``meta`` that embedlab reads, or None."""
    for key in ("method", "objective"):
        if key in meta and meta[key] is not None and not isinstance(meta[key], str):
            return _wrong(key, meta[key], "a string")
    if "params" in meta and meta["params"] is not None:
        if not isinstance(meta["params"], dict):
            return _wrong("params", meta["params"], "a mapping of names to values")
    return _history_problem(meta.get("history")) or _fields_problem(meta)


def _fields_problem(meta: dict) -> str | None:
    for key, kinds in (("schedule", SCHEDULE), ("graph", _GRAPH)):
        if key not in meta:
            continue
        if not isinstance(meta[key], dict):
            return _wrong(key, meta[key], "a mapping")
        for name, kind in kinds.items():
            value = meta[key].get(name)
            if name in meta[key] and not _is(value, kind):
                return _wrong(f"{key}.{name}", value, _KINDS[kind])
    notes = meta.get("graph", {}).get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        return _wrong("graph.notes", notes, "a list of strings")
    return None


def _history_problem(history) -> str | None:
    if history is None:
        return None
    if not isinstance(history, list):
        return _wrong("history", history, "a list of per-epoch entries")
    for i, entry in enumerate(history):
        if not isinstance(entry, dict):
            return _wrong(f"history[{i}]", entry, "a mapping")
        if "epoch" in entry and not _is(entry["epoch"], "count"):
            return _wrong(f"history[{i}].epoch", entry["epoch"], _KINDS["count"])
        for key in _NUMBERS:
            if entry.get(key) is not None and not _is(entry[key], "number"):
                return _wrong(f"history[{i}].{key}", entry[key], _KINDS["number"])
    return None


_KINDS = {"count": "a whole number of at least 0", "number": "a number", "flag": "true or false"}


def _is(value, kind: str) -> bool:
    if kind == "flag":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if kind == "count":
        return isinstance(value, numbers.Integral) and value >= 0
    return isinstance(value, numbers.Real)


def _wrong(field: str, value, expected: str) -> str:
    shown = repr(value)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return f"meta.{field} is {shown}, not {expected}"
