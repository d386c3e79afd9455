"""Training with subwords: the input piece's averaging and scattering against a numpy
simulation, determinism, a vector for an unseen inflected word, the settings and refusals."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab.corpus.encoded import EncodedCorpus
from embedlab.corpus.subwords import subword_table
from embedlab.corpus.vocabulary import Vocabulary
from embedlab.errors import EmbedlabError
from embedlab.methods.word2vec.model import CBOW, SkipGram
from embedlab.methods.word2vec.trainer import initial_matrices, train_matrices

WORDS = ["walk", "walks", "talk", "talking"]  # shared n-grams: their rows overlap


def one_sentence(ids) -> EncodedCorpus:
    tokens = np.array(ids, np.int32)
    counts = np.bincount(tokens, minlength=len(WORDS))
    vocab = Vocabulary(WORDS, counts)
    return EncodedCorpus(vocab, tokens, np.array([0, len(tokens)], np.int64), len(tokens))


def exact(cls, **changes):
    """Full softmax, fixed window, no subsampling: nothing random but the initial matrix."""
    base = dict(objective="softmax", dim=5, window=2, dynamic_window=False, sample=0.0,
                epochs=1, threads=1, seed=4, alpha=0.5, quiet=True, minn=3, maxn=4,
                buckets=23)  # fmt: skip
    return cls(**(base | changes))


def softmax_step(h, target, C, alpha):
    """Full softmax's update (float64): the gradient for ``h`` from the old rows; C moves."""
    z = C @ h
    p = np.exp(z - z.max())
    p /= p.sum()
    g = alpha * (np.eye(len(C))[target] - p)
    grad = g @ C
    C += np.outer(g, h)
    return grad


def start(params, n_words):
    W, C = initial_matrices(n_words, params.dim, params.seed, n_words + params.buckets)
    table = subword_table(WORDS, params.minn, params.maxn, params.buckets)
    return W.astype(np.float64), C.astype(np.float64), table


def scatter(W, rows, grad):
    for row in rows:  # a row listed twice (a repeated n-gram) gets the gradient twice
        W[row] += grad


def skipgram_by_hand(sentence, params):
    """Each position's hidden vector is the mean of its word's rows, read when the first centre
    that can reach it comes (``pos = c - window``), and its summed gradient is scattered after
    the last (``pos = c + window``); every pair predicts the centre from the context word."""
    W, C, table = start(params, len(WORDS))
    n, window = len(sentence), params.window
    H, G, pending = {}, {}, set()
    for pos in range(n):
        for c in sorted(pending):
            if c + window < pos:
                scatter(W, table.rows(sentence[c]), G[c])
                pending.discard(c)
        for c in range(n):
            if c not in H and c - window <= pos:
                H[c] = W[table.rows(sentence[c])].mean(axis=0)
                G[c] = np.zeros(params.dim)
                pending.add(c)
        for c in range(max(0, pos - window), min(n, pos + window + 1)):
            if c != pos:
                G[c] += softmax_step(H[c], sentence[pos], C, params.alpha)
    for c in sorted(pending):
        scatter(W, table.rows(sentence[c]), G[c])
    return W, C


def cbow_by_hand(sentence, params):
    """The context words' rows, all of them, averaged (fastText's bag of bags); every row gets
    the whole gradient at once."""
    W, C, table = start(params, len(WORDS))
    n, window = len(sentence), params.window
    for pos in range(n):
        context = [c for c in range(max(0, pos - window), min(n, pos + window + 1)) if c != pos]
        rows = np.concatenate([table.rows(sentence[c]) for c in context])
        h = W[rows].mean(axis=0)
        scatter(W, rows, softmax_step(h, sentence[pos], C, params.alpha))
    return W, C


@pytest.mark.parametrize(("cls", "by_hand"), [(SkipGram, skipgram_by_hand), (CBOW, cbow_by_hand)])
def test_one_pass_equals_the_numpy_simulation(cls, by_hand):
    sentence = [0, 1, 2, 0, 3, 1, 2, 3, 0]
    params = exact(cls)
    result = train_matrices(one_sentence(sentence), params)
    W, C = by_hand(sentence, params)
    assert result.W.shape == (len(WORDS) + 23, 5)
    start_W = initial_matrices(len(WORDS), 5, 4, len(WORDS) + 23)[0]
    assert not np.allclose(result.W, start_W, atol=1e-3)  # the n-gram rows did move
    np.testing.assert_allclose(result.W, W, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(result.C, C, rtol=1e-5, atol=1e-6)


def test_fasttexts_order_averages_and_scatters_once_per_pair():
    # SubwordsEachPair, the measured alternative: every pair reads the rows as they are now.
    from embedlab.methods.word2vec.inputs import SubwordsEachPair

    sentence = [0, 1, 2, 0, 3, 1]
    params = exact(SkipGram)
    W, C, table = start(params, len(WORDS))
    for pos in range(len(sentence)):
        for c in range(max(0, pos - 2), min(len(sentence), pos + 3)):
            if c != pos:
                rows = table.rows(sentence[c])
                scatter(W, rows, softmax_step(W[rows].mean(axis=0), sentence[pos], C, 0.5))
    inputs = SubwordsEachPair(table.indptr, table.indices)
    result = train_matrices(one_sentence(sentence), params, inputs=inputs)
    np.testing.assert_allclose(result.W, W, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(result.C, C, rtol=1e-5, atol=1e-6)


def test_the_sum_averages_each_context_word_first():
    sentence = [0, 1, 2, 3]
    params = exact(CBOW, cbow_mean=False, window=1)
    W, C, table = start(params, len(WORDS))
    for pos in range(len(sentence)):
        context = [c for c in (pos - 1, pos + 1) if 0 <= c < len(sentence)]
        h = sum(W[table.rows(sentence[c])].mean(axis=0) for c in context)
        grad = softmax_step(h, sentence[pos], C, params.alpha)
        for c in context:
            scatter(W, table.rows(sentence[c]), grad)
    result = train_matrices(one_sentence(sentence), params)
    np.testing.assert_allclose(result.W, W, rtol=1e-5, atol=1e-6)


def _morphology(seed=0, held_out="ed"):
    """Eight made-up stems, each in its own sentences with its inflections (-s, -ing, -ed) and
    three context words of its own; stem 0's ``held_out`` form never occurs."""
    rng = np.random.default_rng(seed)
    letters = "bcdfgklmnprstvz"
    stems = ["".join(rng.choice(list(letters), 2)) + v + "".join(rng.choice(list(letters), 2))
             for v in "aeiouaei"]  # fmt: skip
    forms = {s: [s + suffix for suffix in ("", "s", "ing", "ed")] for s in stems}
    forms[stems[0]].remove(stems[0] + held_out)
    lines = []
    for i in range(1600):
        stem = stems[i % len(stems)]
        words = list(rng.choice(forms[stem], 4)) + [f"{stem}x{k}" for k in rng.integers(0, 3, 3)]
        lines.append(" ".join(rng.permutation(words)))
    return stems, lines


@pytest.fixture(scope="module")
def morphology(tmp_path_factory):
    stems, lines = _morphology()
    path = tmp_path_factory.mktemp("morphology") / "forms.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return stems, path


@pytest.mark.parametrize("cls", [SkipGram, CBOW])
def test_an_unseen_inflection_lands_by_its_stem(cls, morphology):
    stems, path = morphology
    emb = cls(dim=24, epochs=5, threads=1, seed=2, quiet=True, minn=3, maxn=5, buckets=20_000).fit(
        str(path)
    )
    unseen = stems[0] + "ed"
    assert unseen not in emb
    vector = emb[unseen]
    unit = vector / np.linalg.norm(vector)

    def cosine(word):
        other = emb[word]
        return float(unit @ other / np.linalg.norm(other))

    own = [cosine(stems[0] + suffix) for suffix in ("", "s", "ing")]
    others = [cosine(w) for w in emb.words if not w.startswith(stems[0])]
    # The baseline: how close the composed vector comes to the other stems' words.
    assert min(own) > np.percentile(others, 95)


def test_one_thread_and_a_seed_give_the_same_vectors(morphology):
    _, path = morphology
    runs = [
        SkipGram(dim=16, epochs=1, threads=1, seed=5, quiet=True, minn=3, buckets=5000).fit(
            str(path)
        )
        for _ in range(2)
    ]
    assert np.array_equal(runs[0].input_vectors, runs[1].input_vectors)
    assert np.array_equal(runs[0].context_vectors, runs[1].context_vectors)


@pytest.mark.parametrize("objective", ["negative", "hierarchical"])
@pytest.mark.parametrize("cls", [SkipGram, CBOW])
def test_every_objective_trains_the_ngram_rows_on_threads(cls, objective, morphology):
    _, path = morphology
    params = cls(objective=objective, dim=8, epochs=1, threads=2, seed=1, quiet=True, minn=3,
                 maxn=4, buckets=3000)  # fmt: skip
    emb = params.fit(str(path))
    W = np.asarray(emb.input_vectors)
    start = initial_matrices(len(emb.words), 8, 1, len(emb.words) + 3000)[0]
    moved = np.flatnonzero((W != start).any(axis=1))
    assert np.isfinite(W).all()
    assert len(moved) > len(emb.words)  # n-gram rows as well as word rows


def test_settings_default_to_fasttexts_and_are_checked():
    assert SkipGram().uses_subwords is False
    on = SkipGram(minn=2)
    assert (on.minn, on.maxn, on.buckets) == (2, 6, 2_000_000)
    assert (CBOW(maxn=5).minn, CBOW(maxn=5).maxn) == (3, 5)
    assert SkipGram(maxn=0).uses_subwords is False  # fastText's -maxn 0
    assert SkipGram(minn=3, maxn=6).get_params()["buckets"] == 2_000_000
    for bad, named in [
        (dict(minn=5, maxn=4), "minn"),
        (dict(minn=0), "minn"),
        (dict(buckets=10), "buckets"),
        (dict(minn=3, buckets=0), "buckets"),
        (dict(minn=3, combine="sum"), "combine"),
    ]:
        with pytest.raises(EmbedlabError, match=named):
            SkipGram(**bad)


def test_the_memory_estimate_counts_the_buckets_and_names_them(monkeypatch):
    from embedlab import resources
    from embedlab.methods.word2vec.trainer import memory_parts

    words = SkipGram(dim=100, threads=1)
    subwords = SkipGram(dim=100, threads=1, minn=3, buckets=1_000_000)
    extra = memory_parts(1000, subwords)["vectors"] - memory_parts(1000, words)["vectors"]
    assert extra == 1_000_000 * 100 * 4
    monkeypatch.setattr(resources, "available_memory", lambda: (10 * 2**20, "RLIMIT_AS"))
    with pytest.raises(EmbedlabError, match="buckets") as caught:
        subwords.fit([["walk", "walks", "talk"]] * 10)
    assert "\n" not in str(caught.value)


def test_the_torch_backend_refuses_subwords_in_one_line():
    with pytest.raises(EmbedlabError, match="backend") as caught:
        SkipGram(minn=3, backend="torch")
    assert "\n" not in str(caught.value)


def test_the_cluster_refuses_subwords_before_starting_one():
    from embedlab.methods import train

    with pytest.raises(EmbedlabError, match="dask") as caught:
        train([["walk", "talk"]], method="skipgram", minn=3, dask="local:1")
    assert "\n" not in str(caught.value)


# ---- the command line ---------------------------------------------------------------------


def test_subwords_flag_reads_min_max():
    from embedlab.cli.train import subword_lengths

    assert subword_lengths("3-6") == {"minn": 3, "maxn": 6}
    assert subword_lengths("2-2") == {"minn": 2, "maxn": 2}


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--subwords", "6-3"], "--subwords 6-3"),
        (["--subwords", "3"], "--subwords 3"),
        (["--subwords", "0-4"], "--subwords 0-4"),
        (["--subwords", "a-b"], "--subwords a-b"),
        (["--buckets", "1000"], "--buckets applies to subwords only: give --subwords"),
        (["--subwords", "3-6", "--buckets", "0"], "--buckets"),
        (["--subwords", "3-6", "--method", "glove"], "--subwords"),
    ],
)
def test_bad_subword_flags_are_one_line(args, named, morphology, tmp_path, capsys):
    from embedlab.cli.app import main

    _, path = morphology
    rc = main(["train", str(path), "-o", str(tmp_path / "v.emb"), *args])
    _, err = capsys.readouterr()
    assert rc == 2
    assert err.startswith("embedlab: error: ") and err.count("\n") == 1, err
    assert named in err
    assert not (tmp_path / "v.emb").exists()


def test_resuming_a_subword_run_gives_the_uninterrupted_vectors(morphology, tmp_path):
    _, path = morphology
    settings = dict(dim=8, epochs=2, threads=1, seed=3, quiet=True, minn=3, maxn=4, buckets=900)
    whole = CBOW(**settings, checkpoint_dir=tmp_path).fit(str(path))
    checkpoint = tmp_path / "epoch-001.emb"  # the native file holds the bucket rows too
    resumed = CBOW(**settings, resume=checkpoint).fit(str(path))
    assert np.array_equal(resumed.input_vectors, whole.input_vectors)
    assert np.array_equal(resumed.context_vectors, whole.context_vectors)
    with pytest.raises(EmbedlabError, match="with subwords 3-4 in 900 buckets, not without"):
        CBOW(**(settings | dict(minn=None, maxn=None, buckets=None)), resume=checkpoint).fit(
            str(path)
        )
    with pytest.raises(EmbedlabError, match="in 900 buckets, not with subwords 3-4 in 800"):
        CBOW(**(settings | dict(buckets=800)), resume=checkpoint).fit(str(path))


def test_train_with_subwords_saves_a_model_that_composes_unseen_words(morphology, tmp_path):
    from embedlab.cli.app import main
    from embedlab.vectors.formats import load
    from embedlab.vectors.subwords import SubwordEmbeddings

    stems, path = morphology
    out = tmp_path / "v.emb"
    args = ["train", path, "-o", out, "--subwords", "3-5", "--buckets", "3000", "--dim", "10"]
    assert main([str(a) for a in [*args, "--epochs", "1", "-q"]]) == 0
    emb = load(out)
    assert isinstance(emb, SubwordEmbeddings)
    assert (emb.minn, emb.maxn, emb.buckets) == (3, 5, 3000)
    assert emb.input_vectors.shape == (len(emb.words) + 3000, 10)
    params = emb.meta["params"]
    assert (params["minn"], params["maxn"], params["buckets"]) == (3, 5, 3000)
    assert stems[0] + "ed" not in emb and np.linalg.norm(emb[stems[0] + "ed"]) > 0


def test_resume_takes_fasttexts_maxn_0_as_no_subwords():
    # fastText saves a model without subwords as minn 0, maxn 0, bucket 0; embedlab's is None
    from types import SimpleNamespace

    from embedlab.methods.word2vec.resume import _check_subwords

    saved = SimpleNamespace(meta={"params": {"minn": 0, "maxn": 0, "buckets": 0}})
    _check_subwords(saved, SkipGram(), 0)  # no error: both are without subwords
    with pytest.raises(EmbedlabError, match="trained without subwords, not with subwords 3-6"):
        _check_subwords(saved, SkipGram(minn=3, maxn=6, buckets=10), 0)
