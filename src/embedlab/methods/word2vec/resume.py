"""Resuming word2vec training where a checkpoint left it, as if the run had never stopped.

A model's ``meta["schedule"]`` records where the run stood: the epochs done and planned, the
words done, the learning-rate position, and the generator state. The generator needs no saved
bytes: every chunk draws from a stream seeded by (seed, epoch, chunk), so the seed and the
epoch are the whole state. ``epochs`` is always the total, so resuming epoch k's checkpoint with
``epochs=N`` runs epochs k+1..N on the schedule of an N-epoch run: with one thread, the same
vectors as the run that was never interrupted. Vectors without a schedule (made elsewhere, or
by an older embedlab) are a warm start: the whole schedule runs from them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from embedlab.errors import EmbedlabError, setting
from embedlab.methods.word2vec.trainer import learning_rate
from embedlab.vectors.meta import SCHEDULE, meta_problem

#: The parameters that fix the learning-rate schedule and the random draws.
_SCHEDULE_PARAMS = ("seed", "alpha", "min_alpha")


def schedule(params, n_tokens: int, epochs_done: int) -> dict:
    """The ``meta["schedule"]`` of a model ``params`` has trained ``epochs_done`` epochs."""
    done, total = epochs_done * n_tokens, n_tokens * params.epochs
    return {
        "epochs_done": epochs_done,
        "epochs": params.epochs,
        "words_done": done,
        "words_total": total,
        "alpha_position": done / total,
        "next_alpha": learning_rate(params, done, total),  # the next chunk's, exactly
        **{name: getattr(params, name) for name in _SCHEDULE_PARAMS},
        "generator": "one stream per (seed, epoch, chunk)",
    }


class ResumePoint:
    """The matrices, epochs done and history to continue from (nothing to resume: none)."""

    def __init__(self, W=None, C=None, epochs_done: int = 0, history=(), path=None):
        self.W, self.C, self.epochs_done = W, C, epochs_done
        self.history = [dict(entry) for entry in history]
        self.path = path


def resume_point(params, words: list[str], n_tokens: int) -> ResumePoint:
    """Load and check ``params.resume`` against this run; EmbedlabError naming any mismatch."""
    emb, path = params.resume, None
    if emb is None:
        return ResumePoint()
    if isinstance(emb, (str, Path)):
        from embedlab.vectors.formats import load

        path = Path(emb)
        emb = load(emb)
    W, C = _matrices(emb, params, words)
    if "schedule" not in emb.meta:  # vectors from elsewhere: a warm start of a whole run
        return ResumePoint(W, C, 0, (), path)
    saved = _whole_schedule(emb.meta["schedule"])
    done = saved["epochs_done"]
    _check_schedule(saved, params, done, n_tokens)
    return ResumePoint(W, C, done, emb.meta.get("history") or [], path)


def _whole_schedule(saved) -> dict:
    """``saved`` when it has every field of a schedule, of its type and within its range;
    EmbedlabError naming the first that is not (a damaged schedule is no warm start)."""
    problem = meta_problem({"schedule": saved})
    if problem is None:
        missing = [name for name in SCHEDULE if name not in saved]
        if missing:
            problem = f"meta.schedule has no {missing[0]!r}"
        elif saved["epochs_done"] > saved["epochs"]:
            problem = "meta.schedule.epochs_done is more than its epochs"
        elif not 0 <= saved["alpha_position"] <= 1:
            problem = "meta.schedule.alpha_position is not between 0 and 1"
    if problem is not None:
        raise EmbedlabError(
            f"resume: {problem}, so the run cannot be continued: resume from a checkpoint "
            "embedlab saved, or delete the model's schedule to start a new run from its vectors"
        )
    return saved


def _matrices(emb, params, words):
    if list(emb.words) != words:
        raise EmbedlabError(
            "resume: the saved model's vocabulary differs from this corpus's: resume on the "
            f"same corpus with the same {setting('min_count')}/{setting('max_vocab')}"
        )
    context = emb.context_vectors
    if context is None:
        raise EmbedlabError(
            "resume: the saved vectors have no output matrix: resume from a native .emb model"
        )
    saved = emb.meta.get("objective", params.objective)
    if saved != params.objective:
        raise EmbedlabError(
            f"resume: the model was trained with {setting('objective', saved)}, not "
            f"{params.objective!r}: resume with {setting('objective', saved)}"
        )
    W = np.array(emb.input_vectors, dtype=np.float32, order="C")
    C = np.array(context, dtype=np.float32, order="C")
    _check_subwords(emb, params, len(W) - len(words))
    if W.shape[1] != params.dim:
        raise EmbedlabError(
            f"resume: the model has {W.shape[1]} dimensions, not {params.dim}: pass "
            f"{setting('dim', W.shape[1])}"
        )
    return W, C


def _check_subwords(emb, params, extra_rows: int) -> None:
    """The saved input matrix must have this run's rows: the words', then ``buckets`` n-gram
    rows when subwords are on, from the same n-gram lengths."""
    names = ("minn", "maxn", "buckets")
    ours = _subword_settings({name: getattr(params, name) for name in names})
    saved = _subword_settings({name: (emb.meta.get("params") or {}).get(name) for name in names})
    if not emb.meta.get("params"):  # vectors from elsewhere: only the rows tell
        saved = ours if extra_rows == (params.buckets or 0) else saved
    if saved != ours or extra_rows != (params.buckets or 0):
        raise EmbedlabError(
            f"resume: the model was trained {_subwords_text(saved)}, not {_subwords_text(ours)} "
            f"(its input matrix has {extra_rows} rows besides the words'): resume with the "
            f"model's {setting('minn')}, {setting('maxn')} and {setting('buckets')}"
        )


def _subword_settings(settings: dict) -> dict:
    """Off is one value: fastText writes maxn 0 (and 0 buckets) where embedlab keeps None."""
    return settings if settings["maxn"] else dict.fromkeys(settings)


def _subwords_text(settings: dict) -> str:
    if settings["maxn"] is None:
        return "without subwords"
    return f"with subwords {settings['minn']}-{settings['maxn']} in {settings['buckets']} buckets"


def _check_schedule(saved: dict, params, done: int, n_tokens: int) -> None:
    if done >= params.epochs:
        raise EmbedlabError(
            f"resume: the model has trained {done} epochs and {setting('epochs', params.epochs)}"
            f" is the total, so nothing is left: pass {setting('epochs')} greater than {done}"
        )
    for name in _SCHEDULE_PARAMS:
        if saved.get(name) != getattr(params, name):
            raise EmbedlabError(
                f"resume: the model was trained with {setting(name, saved.get(name))}, not "
                f"{getattr(params, name)!r}: pass {setting(name, saved.get(name))} to continue "
                "its run"
            )
    if saved["words_done"] != done * n_tokens or saved["words_total"] != saved["epochs"] * n_tokens:
        raise EmbedlabError(
            f"resume: the model read {saved.get('words_done')} words in {done} epochs, but this "
            f"corpus has {n_tokens} a pass: resume on the corpus it was trained on"
        )


def check_no_overwrite(point: ResumePoint, checkpoint_dir, epochs: int) -> None:
    """Refuse a run whose checkpoints would replace the file it resumes from."""
    if point.path is None or checkpoint_dir is None:
        return
    source = point.path.resolve()
    for epoch in range(point.epochs_done + 1, epochs + 1):
        if checkpoint_path(checkpoint_dir, epoch).resolve() == source:
            raise EmbedlabError(
                f"resume: epoch {epoch}'s checkpoint would overwrite {str(point.path)!r}, the "
                f"model resumed from: give another {setting('checkpoint_dir')} or rename the "
                "model"
            )


def checkpoint_path(folder: Path, epoch: int) -> Path:
    """Where epoch ``epoch`` (1-based) is saved."""
    return Path(folder) / f"epoch-{epoch:03d}.emb"
