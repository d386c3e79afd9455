"""What a vectors file holds, as plain data (``embedlab info``, the report, the explorer)."""

from __future__ import annotations

from embedlab.checks import check_int


def describe(emb, *, path=None, format: str | None = None, top: int = 10) -> dict:
    """The vectors' size, kind, how they were trained and their ``top`` first words.

    Everything comes from the vector protocol. ``dim`` is the trained dimension: the vectors'
    length, halved when ``combine`` is ``concat`` (input and context side by side), which is
    ``vectors_dim``. ``subwords`` is ``{"minn", "maxn", "buckets"}`` for vectors composed from
    character n-grams, else None.
    """
    top = check_int("top", top, minimum=0)
    meta = emb.meta or {}
    counts = emb.counts
    return {
        "path": None if path is None else str(path),
        "format": format,
        "words": len(emb),
        "dim": emb.dim // 2 if emb.combine == "concat" else emb.dim,
        "vectors_dim": emb.dim,
        "sparse": bool(emb.sparse),
        "combine": emb.combine,
        "has_context": emb.has_context,
        "has_counts": counts is not None,
        "corpus_tokens": None if counts is None else int(counts.sum()),
        "subwords": _subwords(emb),
        "method": meta.get("method"),
        "params": meta.get("params") or {},
        "training": training_summary(meta.get("history") or []),
        "meta": meta,
        "top_words": [
            {"word": word, "count": None if counts is None else int(counts[i])}
            for i, word in enumerate(emb.words[:top])
        ],
    }


def _subwords(emb) -> dict | None:
    """Subword vectors' n-gram lengths and buckets (they give any word a vector), else None."""
    if not emb.composes:
        return None
    return {"minn": emb.minn, "maxn": emb.maxn, "buckets": emb.buckets}


def training_summary(history: list) -> dict | None:
    """Epochs, first and last loss, total seconds and mean words/s of a run's history."""
    if not history:
        return None
    last = history[-1]
    seconds = [h.get("seconds") for h in history if isinstance(h.get("seconds"), (int, float))]
    speeds = [h.get("words_per_sec") for h in history if h.get("words_per_sec") is not None]
    return {
        "epochs": len(history),
        "first_loss": history[0].get("loss"),
        "final_loss": last.get("loss"),
        "seconds": sum(seconds) if seconds else None,
        "words_per_sec": sum(speeds) / len(speeds) if speeds else None,
    }
