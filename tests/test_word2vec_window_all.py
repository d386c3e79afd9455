"""window="all": every ordered pair within a sentence (basket, session, playlist) is a training
pair, with no shrinking; an integer window is unchanged.

The pairs are read from the real kernels through a recording objective: the input matrix is the
identity, so the hidden vector handed to the objective names the context words, and the target
names the centre word.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest
from numba import njit

from embedlab.cli.app import main
from embedlab.corpus.encoded import EncodedCorpus
from embedlab.corpus.vocabulary import Vocabulary
from embedlab.errors import EmbedlabError
from embedlab.methods.word2vec.model import CBOW, SkipGram

SRC = Path(__file__).resolve().parents[1] / "src"
#: Baskets with a repeated item and a one-item basket (no pair at all).
BASKETS = [[0, 1, 2, 3, 4, 5], [2, 2, 6], [7], [1, 3, 5, 7, 0], [4, 6]]
N_WORDS = 8
CAPACITY = 1_000  # more predictions than any run below makes


class _RecordingState(NamedTuple):
    log: np.ndarray  # float32[CAPACITY, 1 + N_WORDS]: the target, then the hidden vector
    used: np.ndarray  # int64[1]: rows of log filled


@njit(nogil=True)
def _record(state, h, target, n, out, grad_h, alpha):
    row = state.used[0]
    state.log[row, 0] = target
    for k in range(h.shape[0]):
        state.log[row, 1 + k] = h[k]
    state.used[0] = row + 1
    return 0.0  # grad_h stays zero: nothing moves


def _baskets_corpus() -> EncodedCorpus:
    tokens = np.array([item for basket in BASKETS for item in basket], dtype=np.int32)
    starts = np.cumsum([0] + [len(basket) for basket in BASKETS]).astype(np.int64)
    counts = np.bincount(tokens, minlength=N_WORDS)
    return EncodedCorpus(Vocabulary([f"i{k}" for k in range(N_WORDS)], counts), tokens, starts, 0)


def _recorded(architecture: str, **params) -> list[list[int]]:
    """Each prediction the kernel made as [centre, context words...] (contexts with repeats)."""
    from embedlab.methods.word2vec.objectives import OBJECTIVES
    from embedlab.methods.word2vec.objectives.base import Objective
    from embedlab.methods.word2vec.trainer import train_matrices

    log = np.zeros((CAPACITY, 1 + N_WORDS), np.float32)
    used = np.zeros(1, np.int64)
    OBJECTIVES["recording"] = Objective(
        name="recording",
        state=_RecordingState,
        update=_record,
        tables=lambda counts, params: {"log": log, "used": used},
        scratch=lambda n_words, params: {},
        table_bytes=lambda n_words, params: 0,
    )
    estimator = {"skipgram": SkipGram, "cbow": CBOW}[architecture]
    settings = dict(dim=N_WORDS, sample=0.0, epochs=1, threads=1, seed=1, quiet=True, alpha=0.1)
    model = estimator(objective="recording", **(settings | params))
    W, C = np.eye(N_WORDS, dtype=np.float32), np.zeros((N_WORDS, N_WORDS), np.float32)
    train_matrices(_baskets_corpus(), model, W=W, C=C)
    rows = log[: int(used[0])]
    return [[int(r[0]), *np.repeat(np.arange(N_WORDS), r[1:].astype(int)).tolist()] for r in rows]


def _runs() -> dict:
    """Every recorded run of the tests below, in one child (one compilation of each kernel)."""
    return {
        "skipgram_all": _recorded("skipgram", window="all"),  # dynamic_window stays True
        "skipgram_all_fresh": _recorded("skipgram", window="all", shared_negatives=False),
        "skipgram_2": _recorded("skipgram", window=2, dynamic_window=False),
        "cbow_all": _recorded("cbow", window="all", cbow_mean=False),
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    # In a child with its own kernel cache: Numba's cache index records the state's type, and
    # a type from this test module must not reach the cache other processes read.
    code = (
        "import sys, json; sys.path[:0] = [sys.argv[1], sys.argv[2]];"
        "import test_word2vec_window_all as t; print(json.dumps(t._runs()))"
    )
    env = dict(os.environ, EMBEDLAB_KERNEL_CACHE=str(tmp_path_factory.mktemp("kernels")))
    out = subprocess.run(
        [sys.executable, "-c", code, str(SRC), str(Path(__file__).parent)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


def _pairs(predictions) -> Counter:
    """(context, centre) pairs of skip-gram predictions, each [centre, context]."""
    assert all(len(p) == 2 for p in predictions)
    return Counter((context, centre) for centre, context in predictions)


@pytest.mark.parametrize("run", ["skipgram_all", "skipgram_all_fresh"])
def test_skipgram_with_window_all_trains_every_ordered_pair_of_a_basket(runs, run):
    expected = Counter(
        (basket[c], basket[pos])
        for basket in BASKETS
        for pos, c in itertools.permutations(range(len(basket)), 2)
    )
    assert _pairs(runs[run]) == expected


def test_the_recording_sees_an_integer_window_as_before(runs):
    # The same harness on a fixed window of 2: only pairs at most 2 apart, so "all" differs.
    expected = Counter(
        (basket[c], basket[pos])
        for basket in BASKETS
        for pos, c in itertools.permutations(range(len(basket)), 2)
        if abs(pos - c) <= 2
    )
    assert _pairs(runs["skipgram_2"]) == expected
    assert expected != _pairs(runs["skipgram_all"])


def test_cbow_with_window_all_predicts_each_item_from_all_the_others(runs):
    expected = Counter(
        (basket[pos], tuple(sorted(basket[:pos] + basket[pos + 1 :])))
        for basket in BASKETS
        if len(basket) > 1
        for pos in range(len(basket))
    )
    recorded = Counter((p[0], tuple(sorted(p[1:]))) for p in runs["cbow_all"])
    assert recorded == expected


def test_window_all_is_recorded_and_an_int_stays_an_int():
    assert SkipGram(window="all").get_params()["window"] == "all"
    assert CBOW(window=7).get_params()["window"] == 7


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ("5", "window must be an integer or \"all\", got '5'"),
        ("ALL", "window must be an integer or \"all\", got 'ALL'"),
        (0, "window must be at least 1, got 0"),
        (True, "window must be an integer, got True"),
        (2.5, "window must be an integer, got 2.5"),
    ],
)
def test_a_bad_window_is_one_line(window, message):
    with pytest.raises(EmbedlabError) as caught:
        SkipGram(window=window)
    assert str(caught.value) == message


def _train_cli(tmp_path, capsys, *args):
    baskets = tmp_path / "baskets.txt"
    baskets.write_text("\n".join(" ".join(f"i{k}" for k in basket) for basket in BASKETS) + "\n")
    rc = main(["train", str(baskets), "-o", str(tmp_path / "v.txt"), "--min-count", "1",
               "--dim", "4", "--threads", "1", "--no-cache", "-q", *args])  # fmt: skip
    return rc, capsys.readouterr().err


def test_cli_window_all_trains_items(tmp_path, capsys):
    rc, err = _train_cli(tmp_path, capsys, "--corpus-format", "items", "--window", "all")
    assert rc == 0, err
    assert (tmp_path / "v.txt").read_text().startswith(f"{N_WORDS} 4\n")


def test_cli_integer_window_still_reaches_the_count_methods(tmp_path, capsys):
    rc, err = _train_cli(tmp_path, capsys, "--method", "ppmi-svd", "--window", "2", "--eig", "0")
    assert rc == 0, err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--window", "wide"],
            "embedlab: error: --window must be an integer or \"all\", got 'wide'",
        ),
        (["--window", "-1"], "embedlab: error: --window must be at least 1, got -1"),
        (
            ["--method", "ppmi-svd", "--window", "all"],
            "embedlab: error: --window must be an integer",
        ),
    ],
)
def test_cli_bad_window_is_one_line(tmp_path, capsys, args, message):
    rc, err = _train_cli(tmp_path, capsys, *args)
    assert rc == 2
    assert err.startswith(message) and err.count("\n") == 1, err
