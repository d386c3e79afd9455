"""The neural encoders: structure on a toy, losses, KL, determinism, resume, errors, no torch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import embedlab  # noqa: E402
from embedlab.errors import EmbedlabError  # noqa: E402
from embedlab.methods.neural.contrastive import contrastive_loss  # noqa: E402
from embedlab.methods.neural.vae import kl_to_standard_normal  # noqa: E402

VEHICLES = ["car", "bus", "truck", "train", "bike", "van"]
FRUITS = ["apple", "pear", "plum", "grape", "lemon", "melon"]


def toy_corpus(sentences=600, length=8, seed=0):
    """Sentences each drawn from one topic's words: topics never share a sentence."""
    rng = np.random.default_rng(seed)
    topics = (VEHICLES, FRUITS)
    return [list(rng.choice(topics[i % 2], size=length)) for i in range(sentences)]


def topic_gap(emb) -> float:
    """Mean cosine of same-topic pairs minus mean cosine of cross-topic pairs."""
    same = [emb.similarity(a, b) for t in (VEHICLES, FRUITS) for a in t for b in t if a < b]
    cross = [emb.similarity(a, b) for a in VEHICLES for b in FRUITS]
    return float(np.mean(same) - np.mean(cross))


FAST = {"min_count": 1, "dim": 8, "threads": 1, "quiet": True, "device": "cpu"}
SETTINGS = {
    "autoencoder": {"epochs": 40, "batch_size": 4},
    "vae": {"epochs": 40, "batch_size": 4, "kl_weight": 0.1},
    "contrastive": {"epochs": 4, "window": 2, "sample": 0.0},
    "contrastive-torch": {"epochs": 4, "window": 2, "sample": 0.0, "backend": "torch"},
}


@pytest.mark.parametrize("method", ["autoencoder", "vae", "contrastive", "contrastive-torch"])
def test_words_of_one_topic_end_up_closer(method):
    emb = embedlab.train(toy_corpus(), method=method.split("-")[0], **FAST, **SETTINGS[method])
    assert emb.dim == 8 and len(emb) == 12
    assert topic_gap(emb) > 0.3
    history = emb.meta["history"]
    assert [h["epoch"] for h in history] == list(range(1, len(history) + 1))
    assert history[-1]["loss"] < history[0]["loss"]


def test_squared_loss_autoencoder_learns_too():
    emb = embedlab.train(toy_corpus(), method="autoencoder", loss="squared", **FAST,
                         **SETTINGS["autoencoder"])  # fmt: skip
    assert topic_gap(emb) > 0.3


@pytest.mark.parametrize("loss", ["infonce", "logistic"])
@pytest.mark.parametrize("backend", ["numba", "torch"])
@pytest.mark.parametrize("tied", [False, True])
def test_bounded_contrastive_losses_learn(loss, backend, tied):
    if tied and backend == "numba":
        return  # refused: test_the_numba_backend_refuses_what_it_does_not_train
    # One noise word: among 12 words, 5 would put logistic's optimum f.g = PMI - log 5 below
    # zero for same-topic pairs too (PMI log 2), and untied logistic did not separate them.
    emb = embedlab.train(toy_corpus(), method="contrastive", loss=loss, backend=backend,
                         tied=tied, negative=1, **FAST, **SETTINGS["contrastive"])  # fmt: skip
    assert topic_gap(emb) > 0.3
    assert emb.meta["method"] == "contrastive" and emb.meta["params"]["tied"] == tied


def test_notes_contrastive_loss_is_unbounded_and_training_diverges():
    positive, negatives = torch.tensor([1.0]), torch.tensor([[0.5, -0.2]])
    # Scaling the vectors by t scales the scores by t^2: the loss t^2 s+ - t^4 sum (s-)^2.
    values = [float(contrastive_loss("notes", t**2 * positive, t**2 * negatives))
              for t in (1.0, 10.0, 100.0)]  # fmt: skip
    assert values == pytest.approx([1 - 0.29, 1e2 - 0.29e4, 1e4 - 0.29e8])
    for kind in ("logistic", "infonce"):  # bounded below by 0
        assert float(contrastive_loss(kind, -1e4 * positive, 1e4 * negatives.abs())) > 0
    # The notes' plain gradient descent: |s-| grows until the scores overflow.
    descent = {**FAST, "epochs": 30, "window": 2, "sample": 0.0, "optimizer": "sgd",
               "schedule": "constant", "backend": "torch", "tied": True}  # fmt: skip
    with pytest.raises(EmbedlabError, match="diverged"):
        embedlab.train(toy_corpus(), method="contrastive", loss="notes", **descent)
    bounded = embedlab.train(toy_corpus(), method="contrastive", loss="logistic", **descent)
    assert np.isfinite(bounded.vectors).all() and topic_gap(bounded) > 0.3


def test_logistic_and_infonce_by_hand():
    s_pos, s_neg = 0.3, [-0.4, 1.2]
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    logistic = -np.log(sig(s_pos)) - sum(np.log(sig(-z)) for z in s_neg)
    infonce = -np.log(np.exp(s_pos) / (np.exp(s_pos) + sum(np.exp(z) for z in s_neg)))
    pos = torch.tensor([s_pos], dtype=torch.float64)
    neg = torch.tensor([s_neg], dtype=torch.float64)
    assert float(contrastive_loss("logistic", pos, neg)) == pytest.approx(logistic, rel=1e-12)
    assert float(contrastive_loss("infonce", pos, neg)) == pytest.approx(infonce, rel=1e-12)


def test_kl_closed_form_matches_monte_carlo():
    mu = torch.tensor([[0.5, -1.0, 2.0]], dtype=torch.float64)
    log_var = torch.tensor([[0.0, -1.5, 0.7]], dtype=torch.float64)
    gen = torch.Generator().manual_seed(0)
    sigma = (0.5 * log_var).exp()
    z = mu + sigma * torch.randn((400_000, 3), generator=gen, dtype=torch.float64)
    # KL(q || p) = E_q[log q(z) - log p(z)], Gaussian log densities written out.
    log_q = (-0.5 * ((z - mu) / sigma) ** 2 - torch.log(sigma)).sum(dim=1)
    log_p = (-0.5 * z**2).sum(dim=1)
    monte_carlo = float((log_q - log_p).mean())
    assert float(kl_to_standard_normal(mu, log_var)[0]) == pytest.approx(monte_carlo, abs=0.02)
    assert float(kl_to_standard_normal(torch.zeros(1, 4), torch.zeros(1, 4))[0]) == 0.0


@pytest.mark.parametrize("method", ["vae", "contrastive", "contrastive-torch"])
def test_one_thread_one_seed_is_bit_identical(method):
    params = {**FAST, **SETTINGS[method], "epochs": 2}
    method = method.split("-")[0]
    a = embedlab.train(toy_corpus(), method=method, **params)
    b = embedlab.train(toy_corpus(), method=method, **params)
    c = embedlab.train(toy_corpus(), method=method, **{**params, "seed": 2})
    assert np.array_equal(a.vectors, b.vectors)
    assert not np.array_equal(a.vectors, c.vectors)


@pytest.mark.parametrize("method", ["autoencoder", "contrastive-torch"])
def test_resume_continues_exactly(tmp_path, method):
    params = {**FAST, **SETTINGS[method]}
    method = method.split("-")[0]
    full = embedlab.train(toy_corpus(), method=method, **{**params, "epochs": 3},
                          checkpoint_dir=tmp_path)  # fmt: skip
    assert (tmp_path / "epoch-002.pt").is_file() and (tmp_path / "epoch-002.emb").is_file()
    resumed = embedlab.train(toy_corpus(), method=method, **{**params, "epochs": 3},
                             resume=tmp_path / "epoch-001.emb")  # fmt: skip
    assert np.array_equal(full.vectors, resumed.vectors)
    assert [h["loss"] for h in resumed.meta["history"]] == [h["loss"] for h in full.meta["history"]]
    with pytest.raises(EmbedlabError, match="dim=8"):
        embedlab.train(toy_corpus(), method=method, **{**params, "epochs": 3, "dim": 4},
                       resume=tmp_path / "epoch-001.pt")  # fmt: skip
    with pytest.raises(EmbedlabError, match="already trained 3 epochs"):
        embedlab.train(toy_corpus(), method=method, **{**params, "epochs": 3},
                       resume=tmp_path / "epoch-003.pt")  # fmt: skip


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"method": "autoencoder", "loss": "hinge"}, "loss must be one of multinomial"),
        ({"method": "contrastive", "optimizer": "lbfgs"}, "optimizer must be one of sgd"),
        ({"method": "vae", "kl_weight": -1.0}, "kl_weight must be at least 0"),
        ({"method": "vae", "momentum": 1.5}, "momentum must be at most 1"),
        ({"method": "vae", "resume": "nowhere.pt"}, "no checkpoint state"),
        ({"method": "contrastive", "resume": "nowhere.emb"}, "nowhere.emb: no such file"),
        ({"method": "autoencoder", "negative": 5}, "does not apply to method 'autoencoder'"),
    ],
)
def test_bad_parameters_fail_in_one_line(params, words):
    with pytest.raises(EmbedlabError, match=words) as info:
        embedlab.train(toy_corpus(), **params)
    assert "\n" not in str(info.value)


def test_numba_contrastive_is_skipgram_with_the_loss_as_objective(tmp_path):
    from embedlab.methods.word2vec.model import SkipGram

    params = {"dim": 8, "window": 2, "negative": 4, "sample": 0.0, "epochs": 3, "threads": 1,
              "quiet": True}  # fmt: skip
    corpus = embedlab.corpus.as_corpus(toy_corpus(), min_count=1)
    for loss, objective in (("infonce", "infonce"), ("logistic", "negative")):
        emb = embedlab.train(corpus, method="contrastive", loss=loss, **params)
        reference = SkipGram(objective=objective, **params).fit(corpus)
        assert np.array_equal(emb.vectors, reference.vectors)
        assert emb.meta["method"] == "contrastive" and emb.meta["params"]["loss"] == loss
        # lr None is sized as skip-gram's alpha, and the model records the rate used
        assert emb.meta["params"]["lr"] == reference.meta["params"]["alpha"] > 0
    full = embedlab.train(corpus, method="contrastive", checkpoint_dir=tmp_path, **params)
    resumed = embedlab.train(corpus, method="contrastive", resume=tmp_path / "epoch-001.emb",
                             **params)  # fmt: skip
    assert np.array_equal(full.vectors, resumed.vectors)


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"tied": True}, "tied=True runs on backend='torch' only"),
        ({"loss": "notes"}, "loss='notes' runs on backend='torch' only"),
        ({"optimizer": "sgd"}, "optimizer applies to backend='torch' only"),
        ({"batch_size": 64}, "batch_size applies to backend='torch' only"),
        ({"schedule": "constant"}, "schedule applies to backend='torch' only"),
        ({"device": "cuda"}, "device='cuda' needs backend='torch'"),
    ],
)
def test_the_numba_backend_refuses_what_it_does_not_train(params, words):
    with pytest.raises(EmbedlabError, match=words) as info:
        embedlab.train(toy_corpus(), method="contrastive", **params)
    assert "\n" not in str(info.value)


def test_torch_on_the_cpu_warns_once_with_the_measured_ratio(monkeypatch, capsys):
    from embedlab.methods.torch_support import device

    monkeypatch.setattr(device, "_WARNED", set())
    for _ in range(2):
        embedlab.train(toy_corpus(), method="skipgram", backend="torch", device="cpu",
                       min_count=1, dim=4, epochs=1, threads=1, quiet=True)  # fmt: skip
        embedlab.train(toy_corpus(), method="contrastive", backend="torch", **FAST, epochs=1)
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("embedlab: warning: ") for line in lines)
    assert "backend='torch' is running on the CPU" in lines[0] and "7x faster" in lines[0]
    assert "contrastive with backend='torch'" in lines[1] and "18x faster" in lines[1]
    embedlab.train(toy_corpus(), method="contrastive", **FAST, epochs=1)  # Numba: no warning
    assert capsys.readouterr().err == ""


def test_cuda_without_a_device_is_one_line():
    if torch.cuda.is_available():
        emb = embedlab.train(toy_corpus(), method="contrastive", **{**FAST, "device": "cuda"},
                             epochs=1, backend="torch")  # fmt: skip
        assert emb.meta["params"]["device"] == "cuda"
        return
    with pytest.raises(EmbedlabError, match="no CUDA device"):
        embedlab.train(toy_corpus(), method="vae", **{**FAST, "device": "cuda"})


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)  # fmt: skip


def test_embedlab_and_skipgram_never_import_torch():
    result = _python(
        "import sys, embedlab\n"
        "assert 'torch' not in sys.modules, 'import embedlab loaded torch'\n"
        "embedlab.train([['a', 'b', 'c']] * 50, method='skipgram', min_count=1, dim=4,"
        " epochs=1, threads=1, quiet=True)\n"
        "assert 'torch' not in sys.modules, 'skip-gram loaded torch'\n"
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "choice, needs",
    [
        ("'--method', 'vae'", "the neural methods (autoencoder, vae, contrastive) need PyTorch"),
        ("'--backend', 'torch'", "--backend torch needs PyTorch"),
    ],
)
def test_without_torch_the_cli_says_how_to_install_it(tmp_path, choice, needs):
    text = tmp_path / "toy.txt"
    text.write_text("car bus truck\napple pear plum\n" * 20)
    result = _python(
        "import sys\n"
        "class NoTorch:\n"  # as if torch were not installed: `import torch` fails
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'torch': raise ImportError(name)\n"
        "sys.meta_path.insert(0, NoTorch())\n"
        "from embedlab.cli.app import main\n"
        f"sys.argv = ['embedlab', 'train', {str(text)!r}, '-o', {str(tmp_path / 'v.emb')!r},"
        f" {choice}, '--min-count', '1']\n"
        "raise SystemExit(main())\n"
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [f"embedlab: error: {needs}: pip install 'embedlab[torch]'"]


def test_cli_trains_an_autoencoder(tmp_path):
    from typer.testing import CliRunner

    from embedlab.cli.app import app

    text = tmp_path / "toy.txt"
    text.write_text("\n".join(" ".join(s) for s in toy_corpus(200)) + "\n")
    out = tmp_path / "v.emb"
    args = ["train", str(text), "-o", str(out), "--method", "autoencoder", "--min-count", "1",
            "--dim", "4", "--epochs", "2", "--optimizer", "rmsprop", "--lr", "0.01",
            "--batch-size", "4", "--schedule", "constant", "--device", "cpu", "--threads", "1",
            "--json"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    emb = embedlab.load(out)
    assert emb.dim == 4 and emb.meta["params"]["optimizer"] == "rmsprop"
    assert [h["lr"] for h in emb.meta["history"]] == [0.01, 0.01]


def test_building_the_train_command_does_not_import_torch(tmp_path):
    # embedlab train reads every method's parameters for its options; a skip-gram run through it
    # must not carry torch (hundreds of MiB of resident memory).
    text = tmp_path / "toy.txt"
    text.write_text("car bus truck\napple pear plum\n" * 20)
    result = _python(
        "import sys\n"
        "from embedlab.cli.app import main\n"
        f"sys.argv = ['embedlab', 'train', {str(text)!r}, '-o', {str(tmp_path / 'v.emb')!r},"
        " '--min-count', '1', '--epochs', '1', '--quiet']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as stop:\n"
        "    assert not stop.code, stop.code\n"
        "assert 'torch' not in sys.modules, 'embedlab train loaded torch'\n"
    )
    assert result.returncode == 0, result.stderr
