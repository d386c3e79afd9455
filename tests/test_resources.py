"""Memory checked before the big arrays: what the machine can give, and every method refusing
in one line what it cannot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from embedlab import resources
from embedlab.corpus import EncodedCorpus, Vocabulary
from embedlab.errors import EmbedlabError
from embedlab.methods import train

SRC = str(Path(__file__).resolve().parents[1] / "src")
GiB = 1 << 30


# --- what the machine can give ---------------------------------------------------------------


def test_the_cgroup_limit_less_its_usage_counts(tmp_path, monkeypatch):
    (tmp_path / "memory.max").write_text("1073741824\n")
    (tmp_path / "memory.current").write_text("73741824\n")
    monkeypatch.setattr(resources, "_CGROUP_ROOT", tmp_path)
    assert resources._cgroup_room() == 1_000_000_000
    (tmp_path / "memory.max").write_text("max\n")
    assert resources._cgroup_room() is None


def test_the_smallest_limit_wins(tmp_path, monkeypatch):
    (tmp_path / "memory.max").write_text(str(3 * 2**20))
    (tmp_path / "memory.current").write_text("0")
    monkeypatch.setattr(resources, "_CGROUP_ROOT", tmp_path)
    assert resources.available_memory() == (3 * 2**20, "the cgroup memory limit")


def test_memavailable_is_read_in_bytes():
    with open("/proc/meminfo") as handle:
        line = next(line for line in handle if line.startswith("MemAvailable:"))
    kib = int(line.split()[1])
    read = resources._proc_field("/proc/meminfo", "MemAvailable")
    assert abs(read - kib * 1024) < 256 * 2**20  # moves a little between the two reads


def _limited(code: str, limit: int = 8 * GiB, **kwargs) -> subprocess.CompletedProcess:
    script = (
        f"import resource, sys\nresource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))\n" + code
    )
    env = os.environ | {"PYTHONPATH": SRC}
    return subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, **kwargs
    )


def test_rlimit_as_less_the_mapped_address_space_counts():
    run = _limited("from embedlab.resources import available_memory\nprint(*available_memory())")
    room, source = run.stdout.split(maxsplit=1)
    assert source.strip() == "RLIMIT_AS"
    assert 4 * GiB < int(room) < 8 * GiB  # the interpreter maps well under 4 GiB


def test_the_refusal_names_the_estimate_the_limit_and_the_fix(monkeypatch):
    monkeypatch.setattr(resources, "available_memory", lambda: (1000, "RLIMIT_AS"))
    resources.check_memory("job", {"a": 400, "b": 600}, "lower --dim")  # fits exactly
    with pytest.raises(EmbedlabError) as caught:
        resources.check_memory("job", {"a": 600, "b": 500}, "lower --dim")
    message = str(caught.value)
    assert "\n" not in message
    assert message == (
        "job needs about 1.1 KiB of memory (a 600 B, b 500 B) but this machine can give "
        "1000 B (RLIMIT_AS): lower --dim"
    )


@pytest.mark.parametrize(
    "size, shown", [(0, "0 B"), (1023, "1023 B"), (1536, "1.5 KiB"), (59.6 * GiB, "59.6 GiB")]
)
def test_human_bytes(size, shown):
    assert resources.human_bytes(size) == shown


# --- every method checks before it allocates -------------------------------------------------

N_WORDS = 50


def small_corpus() -> EncodedCorpus:
    rng = np.random.default_rng(0)
    tokens = rng.integers(0, N_WORDS, size=2000).astype(np.int32)
    tokens[:N_WORDS] = np.arange(N_WORDS)  # every word occurs
    counts = np.bincount(tokens, minlength=N_WORDS)
    vocab = Vocabulary([f"w{i}" for i in range(N_WORDS)], counts)
    return EncodedCorpus(vocab, tokens, np.arange(0, 2001, 20, dtype=np.int64), 2000)


def room_of(monkeypatch, size: int) -> None:
    monkeypatch.setattr(resources, "available_memory", lambda: (size, "a test limit"))


# (method, params, bytes of the dense arrays it must count, worked out by hand)
DIM = 64
DENSE = {
    "skipgram-negative": ("skipgram", {"objective": "negative"}, 2 * N_WORDS * DIM * 4),
    "skipgram-hierarchical": ("skipgram", {"objective": "hierarchical"}, 2 * N_WORDS * DIM * 4),
    "skipgram-softmax": ("skipgram", {"objective": "softmax"}, 2 * N_WORDS * DIM * 4),
    "cbow-negative": ("cbow", {"objective": "negative"}, 2 * N_WORDS * DIM * 4),
    "cbow-hierarchical": ("cbow", {"objective": "hierarchical"}, 2 * N_WORDS * DIM * 4),
    # W, C, their AdaGrad sums
    "glove": ("glove", {}, 4 * N_WORDS * DIM * 4),
    # the randomized SVD's range (|V| x (dim + 10) float32), at least
    "ppmi-svd": ("ppmi-svd", {"dim": N_WORDS - 1}, N_WORDS * (N_WORDS - 1 + 10) * 4),
}


@pytest.mark.parametrize("name", sorted(DENSE))
def test_each_method_refuses_before_allocating(name, monkeypatch):
    method, params, dense = DENSE[name]
    params = {"dim": DIM, "threads": 1, "quiet": True, "epochs": 1} | params
    if method == "ppmi-svd":
        del params["epochs"]
    room_of(monkeypatch, dense - 1)
    with pytest.raises(
        EmbedlabError, match=r"needs about .* but this machine can give .*: lower dim"
    ):
        train(small_corpus(), method, **params)
    room_of(monkeypatch, 1 << 40)
    assert len(train(small_corpus(), method, **params)) == N_WORDS


def test_ppmi_counts_its_co_occurrence_buffers(monkeypatch):
    # 2,000 tokens, window 2 on both sides: 8,000 pairs of 8 bytes at the very least
    room_of(monkeypatch, 8000 * 8 - 1)
    with pytest.raises(EmbedlabError, match=r"ppmi needs about .*: lower memory"):
        train(small_corpus(), "ppmi", window=2, threads=1, quiet=True)
    room_of(monkeypatch, 1 << 40)
    assert len(train(small_corpus(), "ppmi", window=2, threads=1, quiet=True)) == N_WORDS


def test_the_counting_budget_bounds_the_estimate(monkeypatch):
    """A corpus larger than the budget is counted in chunks: the estimate is the budget."""
    room_of(monkeypatch, 600 << 20)
    tokens = np.zeros(3_000_000, np.int32)
    tokens[1] = 1
    corpus = EncodedCorpus(
        Vocabulary(["a", "b"], [2_999_999, 1]), tokens, np.array([0, 3_000_000]), 3_000_000
    )
    with pytest.raises(EmbedlabError, match="ppmi needs about"):
        train(corpus, "ppmi", window=5, memory="4G", threads=1, quiet=True)  # 30M pairs > room
    fitted = train(corpus, "ppmi", window=5, memory="512M", threads=1, quiet=True)
    assert len(fitted) == 2


# --- the CLI, under a real address-space limit -----------------------------------------------


@pytest.fixture(scope="module")
def wide_corpus(tmp_path_factory):
    """12,000 distinct words: at dim 100,000 the two word2vec matrices take 9.6 GB."""
    path = tmp_path_factory.mktemp("wide") / "wide.txt"
    words = [f"w{i}" for i in range(12_000)]
    path.write_text("\n".join(" ".join(words[j : j + 20]) for j in range(0, 12_000, 20)) + "\n")
    return path


@pytest.mark.parametrize(
    "method, dim, extra",
    [
        ("skipgram", 100_000, []),
        ("skipgram", 1_000_000, ["--objective", "hierarchical"]),
        ("cbow", 1_000_000, []),
        ("glove", 1_000_000, []),
        ("ppmi-svd", 1_000_000, []),
    ],
)
def test_an_oversized_run_is_one_line_under_an_8_gb_limit(
    wide_corpus, tmp_path, method, dim, extra
):
    argv = ["train", str(wide_corpus), "-o", str(tmp_path / "v.txt"), "--method", method]
    argv += ["--min-count", "1", "--dim", str(dim), "--quiet", *extra]
    run = _limited(
        f"from embedlab.cli.app import main\nsys.exit(main({argv!r}))",
        timeout=300,
        cwd=tmp_path,
    )
    assert run.returncode == 2, run.stderr
    (line,) = run.stderr.splitlines()
    assert line.startswith("embedlab: error: ") and "Unable to allocate" not in line
    assert f"--dim {dim}" in line if method == "ppmi-svd" else "lower --dim" in line
    assert not (tmp_path / "v.txt").exists()
