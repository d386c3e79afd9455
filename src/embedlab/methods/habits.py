"""The names users bring from gensim, word2vec.c and fastText, and embedlab's for them.

One table answers both places: a keyword given to ``train()`` or an estimator (gensim's
``vector_size=100``) and a flag given to ``embedlab train`` (word2vec.c's ``-size 100``,
fastText's ``-minCount 5``). Each is answered, in one line, with embedlab's setting spelled for
the place (``errors.setting``), and never taken as an alias: under the same names those tools
train with other defaults and meanings (fastText's ``-lr`` is 0.05 whatever the corpus, where
embedlab sizes word2vec's rate from it; gensim's and word2vec.c's ``hs=1`` keeps negative
sampling on beside the tree unless ``negative=0``), so a silent alias would train something
other than what the user meant, and a command line would mix two vocabularies.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from embedlab.errors import setting

#: ``Habit.value`` for a setting whose value does not carry over: the answer names it bare.
NO_TRANSLATION = "no translation"


@dataclass(frozen=True)
class Habit:
    """What a name means in the tool it comes from, and embedlab's setting for it.

    ``param`` is embedlab's parameter (None when there is none: ``instead`` says what to do);
    ``values`` translates the tool's values (the text of a value, as on a command line) into
    embedlab's; empty means the value carries over unchanged, ``NO_TRANSLATION`` that only the
    name is given.
    """

    tool: str
    param: str | None
    values: dict | str = field(default_factory=dict)
    instead: str = ""

    def answer(self, given: str, value=None) -> str:
        """``given`` (the setting as the user wrote it, from ``value``) and embedlab's for it:
        ``-size 100 (word2vec.c) is --dim 100 here``."""
        said = f"{given} ({self.tool})"
        if self.param is None:
            return f"{said}: {self.instead}"
        if self.values == NO_TRANSLATION or value is None:
            return f"{said} is {setting(self.param)} here"
        if self.values:
            if str(value) not in self.values:
                choices = dict.fromkeys(self.values.values())
                return f"{said} is {' or '.join(setting(self.param, v) for v in choices)} here"
            value = self.values[str(value)]
        return f"{said} is {setting(self.param, value)} here"


_ONE_ZERO_METHOD = {"1": "skipgram", "0": "cbow"}
_HS = {"1": "hierarchical", "0": "negative"}
_CORPUS = "give the corpus file(s) as the first argument"

#: Keyed by the name as the tool spells it (gensim's keywords, word2vec.c's and fastText's flags
#: without their dash). Names embedlab shares (window, negative, sample, alpha, min_count,
#: epochs, seed, threads) are absent: they work as they are.
HABITS: dict[str, Habit] = {
    # gensim (Word2Vec, FastText; gensim 3's older names)
    "vector_size": Habit("gensim", "dim"),
    "size": Habit("word2vec.c and gensim 3", "dim"),
    "sg": Habit("gensim", "method", _ONE_ZERO_METHOD),
    "hs": Habit("word2vec.c and gensim", "objective", _HS),
    "workers": Habit("gensim", "threads"),
    "iter": Habit("word2vec.c and gensim 3", "epochs"),
    "max_final_vocab": Habit("gensim", "max_vocab"),
    "max_vocab_size": Habit("gensim", "max_vocab", NO_TRANSLATION),
    "shrink_windows": Habit("gensim", "dynamic_window", {"True": True, "False": False}),
    "cbow_mean": Habit("gensim", "cbow_mean", {"1": True, "0": False}),
    "min_n": Habit("gensim's FastText", "minn"),
    "max_n": Habit("gensim's FastText", "maxn"),
    "bucket": Habit("fastText and gensim", "buckets"),
    "sentences": Habit("gensim", None, instead=_CORPUS),
    "corpus_file": Habit("gensim", None, instead=_CORPUS),
    "compute_loss": Habit(
        "gensim", None, instead="embedlab always records each epoch's loss in meta['history']"
    ),
    "sorted_vocab": Habit("gensim", None, instead="embedlab's vocabulary is always sorted"),
    # word2vec.c
    "train": Habit("word2vec.c", None, instead=_CORPUS),
    "output": Habit(
        "word2vec.c and fastText",
        None,
        instead="write the vectors with -o FILE (from Python: emb.save(FILE))",
    ),
    "cbow": Habit("word2vec.c", "method", {"1": "cbow", "0": "skipgram"}),
    "min-count": Habit("word2vec.c", "min_count"),
    "binary": Habit("word2vec.c", "format", {"1": "word2vec-binary", "0": "word2vec"}),
    "save-vocab": Habit(
        "word2vec.c", None, instead="embedlab keeps the vocabulary and its counts in a .emb file"
    ),
    "read-vocab": Habit(
        "word2vec.c", None, instead="the vocabulary comes from the corpus (cached on disk)"
    ),
    "debug": Habit("word2vec.c", "quiet", NO_TRANSLATION),
    "classes": Habit("word2vec.c", None, instead="embedlab has no k-means of the vectors"),
    # fastText
    "input": Habit("fastText", None, instead=_CORPUS),
    "ws": Habit("fastText", "window"),
    "epoch": Habit("fastText", "epochs"),
    "minCount": Habit("fastText", "min_count"),
    "neg": Habit("fastText", "negative"),
    "loss": Habit(
        "fastText", "objective", {"ns": "negative", "hs": "hierarchical", "softmax": "softmax"}
    ),
    "minn": Habit("fastText", "minn"),
    "maxn": Habit("fastText", "maxn"),
    "thread": Habit("fastText", "threads"),
    "lr": Habit("fastText", "alpha"),
    "t": Habit("fastText", "sample"),
    "verbose": Habit("fastText", "quiet", NO_TRANSLATION),
    "lrUpdateRate": Habit("fastText", None, instead="embedlab's rate falls after every chunk"),
    "wordNgrams": Habit("fastText", None, instead="embedlab trains no supervised classifier"),
}


def habit(name: str) -> Habit | None:
    """The table's entry for ``name`` as the user wrote it (dashes and underscores alike)."""
    for key in (name, name.replace("-", "_"), name.replace("_", "-")):
        if key in HABITS:
            return HABITS[key]
    return None


def unknown_parameters(given: dict, accepted, owner: str) -> str:
    """One line for keywords an estimator does not take: each one from gensim, word2vec.c or
    fastText answered with embedlab's setting, the others named with the closest accepted
    names and the list of what ``owner`` takes."""
    answers, strangers, hints = [], [], []
    for name in sorted(given):
        known = habit(name)
        if known is not None and (known.param is None or known.param not in given):
            answers.append(known.answer(setting(name, given[name]), given[name]))
            continue
        if setting(name) in strangers:
            continue  # one option sets both (--subwords is minn and maxn)
        strangers.append(setting(name))
        close = difflib.get_close_matches(name, list(accepted), n=2, cutoff=0.7)
        if close:
            hints.append(f"{' or '.join(map(setting, close))} for {strangers[-1]}")
    if strangers:
        verb = "does" if len(strangers) == 1 else "do"
        line = f"{', '.join(strangers)} {verb} not apply to {owner}"
        if hints:
            line += f": did you mean {', '.join(hints)}?"
        takes = ", ".join(sorted(map(setting, accepted)))
        answers.append(f"{line} (it takes: {takes})")
    return "; ".join(answers)
