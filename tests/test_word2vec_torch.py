"""word2vec's PyTorch backend: its updates against the Numba objective, training, determinism,
the schedule it shares with the Numba trainer, and its one-line errors."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import embedlab  # noqa: E402
from embedlab.corpus.encoded import EncodedCorpus  # noqa: E402
from embedlab.corpus.vocabulary import Vocabulary  # noqa: E402
from embedlab.errors import EmbedlabError  # noqa: E402
from embedlab.methods.word2vec.model import CBOW, SkipGram  # noqa: E402
from embedlab.methods.word2vec.objectives.negative import negative_sampling_update  # noqa: E402
from embedlab.methods.word2vec.objectives.negative_torch import (  # noqa: E402
    TorchNegativeSampling,
)
from embedlab.methods.word2vec.torch_architectures import (  # noqa: E402
    WindowBatch,
    cbow,
    descend,
    skipgram,
)

NO_TRACE = np.empty((0, 0))
ALPHA = 0.05


class _Fixed(TorchNegativeSampling):
    """The real loss with the draws given, so both backends see the same samples."""

    def __init__(self, samples):
        self.samples = torch.as_tensor(samples)

    def draw(self, targets, gen):
        samples = self.samples[: targets.numel()]
        valid = torch.ones_like(samples, dtype=torch.bool)
        valid[:, 1:] = samples[:, 1:] != targets[:, None]
        return samples, valid


def _toy(seed=0, words=9, dim=4):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(words, dim)), rng.normal(size=(words, dim))


def _numba_step(W, C, inputs, h, samples):
    """The Numba objective's update of one prediction: (change of C, change of h, loss)."""
    out, grad_h = C.copy(), np.zeros(W.shape[1])
    loss = negative_sampling_update(h.copy(), np.asarray(samples, np.int32), out, grad_h, ALPHA,
                                    NO_TRACE)  # fmt: skip
    return out - C, grad_h, loss


def test_one_prediction_moves_the_rows_as_the_numba_objective_does():
    W, C = _toy()
    samples = [[3, 5, 0, 8]]  # centre 3 against noise 5, 0, 8; context word 6
    dC, dh, loss = _numba_step(W, C, [6], W[6], samples[0])
    Wt, Ct = torch.tensor(W), torch.tensor(C)
    batch = WindowBatch(torch.tensor([3]), torch.tensor([[6]]), torch.tensor([[True]]))
    got_loss, predictions = skipgram(Wt, Ct, batch, _Fixed(samples), ALPHA, None, shared=True)
    np.testing.assert_allclose(Ct.numpy() - C, dC, rtol=1e-12, atol=1e-15)
    expected_W = W.copy()
    expected_W[6] += dh
    np.testing.assert_allclose(Wt.numpy(), expected_W, rtol=1e-12, atol=1e-15)
    assert float(got_loss) == pytest.approx(loss, rel=1e-12) and int(predictions) == 1


def _sigmoid_curvature(x, y, u):
    """One prediction's loss curvature along ``u`` in the row ``x`` it scores against ``y``:
    d2/dt2 of -log sigmoid(+-(x + t u) . y) is sigmoid(z) sigmoid(-z) (u . y)^2."""
    p = 1.0 / (1.0 + np.exp(-(x @ y)))
    return p * (1 - p) * (u @ y) ** 2


def _sequential(start, entries):
    """``start`` plus the row rule written out: k entries (update, curvature along u), u the
    unit summed update, a = alpha * mean curvature (at most 1), factor (1 - (1 - a)^k) / (k a)."""
    total = np.sum([update for update, _ in entries], axis=0)
    u = total / np.linalg.norm(total)
    k = len(entries)
    a = min(1.0, ALPHA * sum(curvature(u) for _, curvature in entries) / k)
    factor = 1.0 if k == 1 else (1 - (1 - a) ** k) / (k * a)
    return start + factor * total, factor


def test_a_batch_moves_a_row_by_its_summed_numba_updates_damped_as_sequential_steps():
    # Two centres, their windows (one context slot padded), and a noise word equal to its
    # target that the Numba draw would have dropped. Within a window the pairs' Numba updates
    # (each from the starting matrices) add up; a row touched by both windows (context 6,
    # noise word 5) moves by the windows' summed changes times the sequential factor.
    W, C = _toy(1)
    centres, contexts = [3, 4], [[6, 7, 1], [2, 6, 0]]
    mask = [[True, True, True], [True, True, False]]
    samples = [[3, 5, 0, 8], [4, 4, 1, 5]]
    input_entries, output_entries, expected_loss = {}, {}, 0.0
    for g in range(2):
        kept = [s for i, s in enumerate(samples[g]) if i == 0 or s != centres[g]]
        words = [word for slot, word in enumerate(contexts[g]) if mask[g][slot]]
        window = np.zeros_like(C)
        for word in words:
            dC, dh, loss = _numba_step(W, C, [word], W[word], kept)
            window += dC
            curvature = lambda u, w=word, ks=kept: sum(  # noqa: E731
                _sigmoid_curvature(W[w], C[j], u) for j in ks
            )
            input_entries.setdefault(word, []).append((dh, curvature))
            expected_loss += loss
        for row in kept:
            curvature = lambda u, r=row, ws=words: sum(  # noqa: E731
                _sigmoid_curvature(C[r], W[w], u) for w in ws
            )
            output_entries.setdefault(row, []).append((window[row], curvature))
    expected_W, expected_C, factors = W.copy(), C.copy(), {}
    for name, start, entries in (
        ("W", expected_W, input_entries),
        ("C", expected_C, output_entries),
    ):
        for row, moves in entries.items():
            start[row], factors[name, row] = _sequential(start[row], moves)
    # the shared rows are damped, by neither the plain sum (1) nor the mean (1/2)
    shared = {("W", 6), ("C", 5)}
    assert all(0.5 + 1e-3 < factors[key] < 1 - 1e-3 for key in shared)
    assert all(factor == 1.0 for key, factor in factors.items() if key not in shared)
    Wt, Ct = torch.tensor(W), torch.tensor(C)
    batch = WindowBatch(torch.tensor(centres), torch.tensor(contexts), torch.tensor(mask))
    loss, predictions = skipgram(Wt, Ct, batch, _Fixed(samples), ALPHA, None, shared=True)
    np.testing.assert_allclose(Ct.numpy(), expected_C, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(Wt.numpy(), expected_W, rtol=1e-12, atol=1e-14)
    assert float(loss) == pytest.approx(expected_loss, rel=1e-12) and int(predictions) == 5


@pytest.mark.parametrize("k", [1, 3, 40])
@pytest.mark.parametrize("curvature", [0.0, 2.0, 15.0, 60.0])
def test_a_row_touched_k_times_moves_as_k_sequential_steps_on_its_quadratic(k, curvature):
    # k entries with the same gradient g on a loss of curvature `curvature` along g: plain SGD
    # one entry after another moves by x <- x - ALPHA * (g + curvature * x) each, from x = 0;
    # past ALPHA * curvature = 1 (60 here) the rule takes the mean instead of overshooting.
    g = np.array([0.3, -1.2, 0.5])
    x = np.zeros(3)
    for _ in range(k):
        x = x - ALPHA * (g + min(curvature, 1 / ALPHA) * x)
    M = torch.zeros((4, 3), dtype=torch.float64)
    index = torch.full((k,), 2)
    descend(M, index, torch.tensor(g).expand(k, 3), ALPHA,
            lambda u: torch.full((u.shape[0],), curvature, dtype=u.dtype))  # fmt: skip
    np.testing.assert_allclose(M[2].numpy(), x, rtol=1e-10, atol=1e-15)
    assert not M[[0, 1, 3]].any()
    if curvature > 1 / ALPHA:
        np.testing.assert_allclose(M[2].numpy(), -ALPHA * g, rtol=1e-12)  # the mean's step


@pytest.mark.parametrize("mean", [True, False])
def test_cbow_gives_every_context_row_the_whole_gradient(mean):
    W, C = _toy(2)
    contexts = [1, 2, 7]
    h = W[contexts].sum(axis=0) / (len(contexts) if mean else 1)
    dC, dh, loss = _numba_step(W, C, contexts, h, [4, 0, 8])
    Wt, Ct = torch.tensor(W), torch.tensor(C)
    batch = WindowBatch(torch.tensor([4]), torch.tensor([[1, 2, 7, 0]]),
                        torch.tensor([[True, True, True, False]]))  # fmt: skip
    got, _ = cbow(Wt, Ct, batch, _Fixed([[4, 0, 8]]), ALPHA, None, mean=mean)
    expected_W = W.copy()
    expected_W[contexts] += dh
    np.testing.assert_allclose(Ct.numpy() - C, dC, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(Wt.numpy(), expected_W, rtol=1e-12, atol=1e-14)
    assert float(got) == pytest.approx(loss, rel=1e-12)


def test_noise_words_follow_the_counts_to_the_exponent():
    counts = np.array([1000, 300, 100, 30, 10, 3])
    params = SkipGram(negative=5, ns_exponent=0.5)  # not the default: the option must reach it
    objective = TorchNegativeSampling(counts, params, torch.device("cpu"))
    targets = torch.full((40_000,), 5)  # the rarest word: it is almost never its own noise
    samples, valid = objective.draw(targets, torch.Generator().manual_seed(0))
    noise = samples[:, 1:].reshape(-1).numpy()
    freq = np.bincount(noise, minlength=6) / noise.size
    p = np.sqrt(counts) / np.sqrt(counts).sum()  # count^0.5, normalised
    # five binomial standard deviations of 200,000 draws
    assert np.all(np.abs(freq - p) < 5 * np.sqrt(p * (1 - p) / noise.size))
    assert np.array_equal(valid[:, 1:].numpy(), samples[:, 1:].numpy() != 5)


# Training ---------------------------------------------------------------------------------

#: 4 topics x 2 subtopics x 3 words; a sentence keeps to one topic, mostly to one subtopic.
TOPICS, SUBTOPICS, PER = 4, 2, 3


def graded_corpus(sentences=1200, length=10, seed=0) -> EncodedCorpus:
    rng = np.random.default_rng(seed)
    tokens = []
    for s in range(sentences):
        topic, sub = s % TOPICS, rng.integers(SUBTOPICS)
        other = rng.random(length) < 0.25  # a quarter of the words from the sister subtopic
        subs = np.where(other, 1 - sub, sub)
        tokens.extend((topic * SUBTOPICS + subs) * PER + rng.integers(PER, size=length))
    tokens = np.array(tokens, dtype=np.int32)
    n = TOPICS * SUBTOPICS * PER
    words = [f"w{i}" for i in range(n)]
    starts = np.arange(0, len(tokens) + 1, length, dtype=np.int64)
    return EncodedCorpus(Vocabulary(words, np.bincount(tokens, minlength=n)), tokens, starts,
                         len(tokens))  # fmt: skip


def _truth():
    """How related each pair of words is by construction: 2 same subtopic, 1 same topic."""
    ids = np.arange(TOPICS * SUBTOPICS * PER)
    sub, topic = ids // PER, ids // (PER * SUBTOPICS)
    grade = (topic[:, None] == topic[None, :]).astype(float) + (sub[:, None] == sub[None, :])
    upper = np.triu_indices(ids.size, 1)
    return grade[upper], upper


def _spearman(a, b) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(a, b).statistic)


def graded_score(emb) -> float:
    truth, upper = _truth()
    unit = emb.vectors / np.linalg.norm(emb.vectors, axis=1, keepdims=True)
    return _spearman((unit @ unit.T)[upper], truth)


def best_graded_score() -> float:
    """The Spearman correlation of a perfect model: every grade ranked right, ties broken at
    random within a grade (the truth has ties, so even a perfect model scores below 1)."""
    truth, _ = _truth()
    jitter = np.random.default_rng(0).random(truth.size) * 0.1
    return _spearman(truth + jitter, truth)


FAST = {"dim": 10, "window": 3, "negative": 4, "sample": 0.0, "epochs": 4, "threads": 1,
        "quiet": True, "seed": 1}  # fmt: skip
TORCH = {"backend": "torch", "device": "cpu", "batch_size": 16}


@pytest.mark.parametrize("architecture", [SkipGram, CBOW])
def test_torch_backend_learns_the_graded_structure_like_numba(architecture):
    corpus = graded_corpus()
    numba = graded_score(architecture(**FAST).fit(corpus))
    on_torch = architecture(**FAST, **TORCH).fit(corpus)
    score = graded_score(on_torch)
    floor = 0.9 * best_graded_score()  # 90% of a perfect ranking
    assert numba > floor and score > floor, (numba, score, floor)
    assert abs(score - numba) < 0.05
    history = on_torch.meta["history"]
    assert [h["epoch"] for h in history] == [1, 2, 3, 4]
    assert all(h["words"] == corpus.n_tokens and h["words_per_sec"] > 0 and h["seconds"] > 0
               for h in history)  # fmt: skip
    assert history[-1]["loss"] < history[0]["loss"]
    assert on_torch.meta["params"]["backend"] == "torch"


def test_skipgram_fresh_negatives_per_pair_train_too():
    emb = SkipGram(**FAST, **TORCH, shared_negatives=False).fit(graded_corpus())
    assert graded_score(emb) > 0.9 * best_graded_score()


def test_one_thread_one_seed_is_bit_identical():
    corpus = graded_corpus(300)
    settings = {**FAST, **TORCH, "sample": 1e-2, "epochs": 2}
    a, b = (SkipGram(**settings).fit(corpus) for _ in range(2))
    assert np.array_equal(a.vectors, b.vectors)
    assert np.array_equal(a.context_vectors, b.context_vectors)
    c = SkipGram(**{**settings, "seed": 2}).fit(corpus)
    assert not np.array_equal(a.vectors, c.vectors)


def test_learning_rate_falls_linearly_over_the_whole_run():
    corpus = graded_corpus(300)
    alpha, lowest, epochs = 0.05, 0.001, 2
    settings = {**FAST, **TORCH, "epochs": epochs, "alpha": alpha, "min_alpha": lowest}
    history = SkipGram(**settings).fit(corpus).meta["history"]
    total = epochs * corpus.n_tokens
    for epoch, entry in enumerate(history, start=1):
        # an epoch's last step starts at most one batch (sample=0: one token a centre) before
        # the epoch's end, where the linear rate is:
        at_end = alpha - (alpha - lowest) * epoch * corpus.n_tokens / total
        one_batch = (alpha - lowest) * TORCH["batch_size"] / total
        assert at_end <= entry["alpha"] <= at_end + one_batch


def test_run_resumed_after_its_first_epoch_equals_the_uninterrupted_one(tmp_path):
    corpus = graded_corpus(300)
    settings = {**FAST, **TORCH, "epochs": 3}
    whole = SkipGram(**settings, checkpoint_dir=tmp_path).fit(corpus)
    resumed = SkipGram(**settings, resume=tmp_path / "epoch-001.emb").fit(corpus)
    assert np.array_equal(whole.vectors, resumed.vectors)


# Errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, words",
    [
        ({"backend": "torch", "objective": "hierarchical"},
         "backend='torch' has no objective='hierarchical': it offers 'negative'"),
        ({"backend": "torch", "objective": "softmax"}, "it offers 'negative'"),
        ({"device": "cuda"}, "device='cuda' needs backend='torch'"),
        ({"batch_size": 64}, "batch_size applies to backend='torch' only"),
        ({"backend": "torch", "batch_size": 0}, "batch_size must be at least 1"),
        ({"backend": "jax"}, "backend must be one of numba, torch"),
        ({"backend": "torch", "window": "all"}, "window='all' needs backend='numba'"),
    ],
)  # fmt: skip
def test_bad_backend_settings_fail_in_one_line(params, words):
    with pytest.raises(EmbedlabError, match=words) as info:
        SkipGram(**params)
    assert "\n" not in str(info.value)


def test_fresh_walks_on_the_torch_backend_fail_in_one_line():
    from embedlab.methods.walks import DeepWalk

    with pytest.raises(EmbedlabError, match="fresh_walks=True needs backend='numba'") as info:
        DeepWalk(fresh_walks=True, backend="torch")
    assert "\n" not in str(info.value)


def test_cuda_runs_the_same_code_or_fails_in_one_line():
    settings = {**FAST, **TORCH, "device": "cuda"}
    if not torch.cuda.is_available():  # no GPU here: CUDA is exercised where there is one
        with pytest.raises(EmbedlabError, match="no CUDA device"):
            SkipGram(**settings)
        return
    emb = SkipGram(**settings).fit(graded_corpus())
    assert graded_score(emb) > 0.9 * best_graded_score()


def test_cli_trains_with_the_torch_backend(tmp_path):
    from typer.testing import CliRunner

    from embedlab.cli.app import app

    corpus = graded_corpus(200)
    text = tmp_path / "toy.txt"
    words = corpus.vocab.words
    text.write_text("\n".join(" ".join(words[t] for t in s) for s in corpus.sentences()) + "\n")
    out = tmp_path / "v.txt"
    args = ["train", str(text), "-o", str(out), "--method", "cbow", "--backend", "torch",
            "--device", "cpu", "--batch-size", "32", "--min-count", "1", "--dim", "6",
            "--epochs", "2", "--threads", "1"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    emb = embedlab.load(out)
    assert emb.dim == 6 and len(emb) == len(words)
