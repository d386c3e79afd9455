"""``embedlab train`` end to end on a tiny corpus: outputs, --json, and every user error."""

from __future__ import annotations

import json

import numpy as np
import pytest
from gensim.models import KeyedVectors

import embedlab.methods
from embedlab.cli.app import main
from embedlab.errors import setting
from embedlab.vectors.embeddings import Embeddings
from embedlab.vectors.formats import load

#: Small and quick: one thread (deterministic), tiny vectors, every word kept.
FAST = ["--dim", "8", "--epochs", "1", "--min-count", "1", "--threads", "1", "--seed", "3"]
ROYAL = ["king", "queen", "prince", "princess", "crown", "throne"]
WATER = ["water", "river", "sea", "lake", "rain", "boat"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """300 ten-word lines, each drawn from one of two planted topics."""
    rng = np.random.default_rng(0)
    lines = []
    for i in range(300):
        topic = ROYAL if i % 2 else WATER
        lines.append(" ".join(rng.choice(topic, size=10)))
    path = tmp_path_factory.mktemp("corpus") / "tiny.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(args, capsys):
    rc = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return rc, out, err


def assert_user_error(rc, err, message):
    assert rc == 2
    assert err.startswith("embedlab: error: ")
    assert err.count("\n") == 1, err  # one line, no traceback
    assert message in err


# ---- success paths ------------------------------------------------------------------------


def test_binary_output_reads_back_in_gensim(corpus, tmp_path, capsys):
    out = tmp_path / "vectors.bin"
    rc, stdout, err = run(["train", corpus, "-o", out, *FAST, "--quiet"], capsys)
    assert rc == 0, err
    assert stdout == "" and err == ""  # --quiet: no progress, no summary
    kv = KeyedVectors.load_word2vec_format(str(out), binary=True)
    assert sorted(kv.index_to_key) == sorted(ROYAL + WATER)
    assert kv.vectors.shape == (12, 8)
    assert np.isfinite(kv.vectors).all()


@pytest.mark.parametrize("suffix", [".txt", ".vec"])
def test_text_output_by_extension(corpus, tmp_path, capsys, suffix):
    out = tmp_path / f"vectors{suffix}"
    rc, _, err = run(["train", corpus, "-o", out, *FAST, "--quiet"], capsys)
    assert rc == 0, err
    assert out.read_text(encoding="utf-8").splitlines()[0].split() == ["12", "8"]
    kv = KeyedVectors.load_word2vec_format(str(out), binary=False)
    assert len(kv.index_to_key) == 12


def test_native_output_keeps_both_matrices_and_the_history(corpus, tmp_path, capsys):
    out = tmp_path / "model.emb"
    rc, _, err = run(["train", corpus, "-o", out, *FAST, "--epochs", "2", "--quiet"], capsys)
    assert rc == 0, err
    emb = load(out)
    assert emb.context is not None and emb.context.shape == emb.input_vectors.shape == (12, 8)
    assert [entry["epoch"] for entry in emb.meta["history"]] == [1, 2]


def test_format_option_overrides_the_extension(corpus, tmp_path, capsys):
    out = tmp_path / "vectors.data"
    rc, _, err = run(["train", corpus, "-o", out, *FAST, "--format", "word2vec", "--quiet"], capsys)
    assert rc == 0, err
    assert out.read_text(encoding="utf-8").splitlines()[0].split() == ["12", "8"]


def test_json_reports_the_run(corpus, tmp_path, capsys):
    out = tmp_path / "vectors.bin"
    rc, stdout, err = run(
        ["train", corpus, "-o", out, *FAST, "--epochs", "3", "--combine", "concat", "--json"],
        capsys,
    )
    assert rc == 0, err
    report = json.loads(stdout)
    assert set(report) == {"output", "method", "vocabulary", "dim", "seconds", "history"}
    assert report["output"] == str(out)
    assert report["method"] == "skipgram"
    assert report["vocabulary"] == 12
    assert report["dim"] == 16  # concat of two 8-dim matrices
    assert report["seconds"] > 0
    assert [entry["epoch"] for entry in report["history"]] == [1, 2, 3]
    for entry in report["history"]:
        assert entry["loss"] > 0 and entry["words_per_sec"] > 0 and entry["seconds"] > 0
    assert "trained" not in err  # the summary line is left out with --json
    kv = KeyedVectors.load_word2vec_format(str(out), binary=True)
    assert kv.vectors.shape == (12, 16)


def test_summary_line_in_a_pipe_and_no_progress_bar(corpus, tmp_path, capsys):
    rc, stdout, err = run(["train", corpus, "-o", tmp_path / "v.emb", *FAST], capsys)
    assert rc == 0
    assert stdout == ""
    lines = err.splitlines()
    # not a terminal: no bar; one line for the one epoch, then the summary
    assert len(lines) == 2, err
    loss = json.loads(run(["info", tmp_path / "v.emb", "--json"], capsys)[1])["training"][
        "final_loss"
    ]
    assert lines[0].startswith("embedlab: skipgram epoch 1/1: ") and "words/s" in lines[0]
    assert f"loss {loss:.4g}" in lines[0]
    assert "ETA" not in lines[0]  # nothing is left after the last epoch
    # 300 lines x 10 words, one epoch
    assert lines[1].startswith("embedlab: skipgram trained 12 words x 8 dims in ")
    assert "3k words at " in lines[1] and "words/s" in lines[1]
    assert f"final loss {loss:.4f}" in lines[1]


def test_same_seed_one_thread_gives_identical_files(corpus, tmp_path, capsys):
    first, second = tmp_path / "a.bin", tmp_path / "b.bin"
    for out in (first, second):
        assert run(["train", corpus, "-o", out, *FAST, "--quiet"], capsys)[0] == 0
    assert first.read_bytes() == second.read_bytes()
    other = tmp_path / "c.bin"
    seed = FAST.index("--seed") + 1
    changed = FAST[:seed] + ["4"] + FAST[seed + 1 :]
    assert run(["train", corpus, "-o", other, *changed, "--quiet"], capsys)[0] == 0
    assert other.read_bytes() != first.read_bytes()


def test_cbow_hierarchical_from_two_files(corpus, tmp_path, capsys):
    second = tmp_path / "more.txt"
    second.write_text("king water\n" * 5, encoding="utf-8")
    out = tmp_path / "cbow.bin"
    args = ["train", corpus, second, "-o", out, *FAST, "--method", "cbow"]
    rc, stdout, err = run([*args, "--objective", "hierarchical", "--cbow-sum", "--json"], capsys)
    assert rc == 0, err
    report = json.loads(stdout)
    assert report["method"] == "cbow" and report["vocabulary"] == 12


def test_checkpoints_and_resume(corpus, tmp_path, capsys):
    folder = tmp_path / "ckpt"
    out = tmp_path / "model.emb"
    rc, _, err = run(
        ["train", corpus, "-o", out, *FAST, "--epochs", "2", "--checkpoint", folder, "--quiet"],
        capsys,
    )
    assert rc == 0, err
    assert sorted(p.name for p in folder.iterdir()) == ["epoch-001.emb", "epoch-002.emb"]
    # --epochs is the total: epoch 1's checkpoint resumed to 2 epochs is the 2-epoch run itself
    resumed = tmp_path / "resumed.emb"
    first = folder / "epoch-001.emb"
    saved = first.read_bytes()
    args = ["train", corpus, "-o", resumed, *FAST, "--epochs", "2", "--resume", first]
    rc, stdout, err = run([*args, "--checkpoint", folder, "--json"], capsys)
    assert rc == 0, err
    whole, after = load(out), load(resumed)
    assert whole.words == after.words
    assert np.array_equal(whole.input_vectors, after.input_vectors)
    assert np.array_equal(whole.context_vectors, after.context_vectors)
    assert [entry["epoch"] for entry in json.loads(stdout)["history"]] == [1, 2]
    assert first.read_bytes() == saved  # the model resumed from is never rewritten
    # a finished run has nothing left to do, and the output may not replace the model resumed
    rc, _, err = run(
        ["train", corpus, "-o", resumed, *FAST, "--epochs", "2", "--resume", out], capsys
    )
    assert_user_error(rc, err, "pass --epochs greater than 2")
    rc, _, err = run(
        ["train", corpus, "-o", first, *FAST, "--epochs", "2", "--resume", first], capsys
    )
    assert_user_error(rc, err, "(--output) is the input")
    assert "(--resume): writing it would destroy what this command reads" in err


@pytest.mark.parametrize(
    "method, options, suffix, dim",
    [
        ("ppmi-svd", ["--dim", "4", "--window", "2", "--eig", "0"], ".txt", 4),
        ("glove", ["--dim", "4", "--epochs", "2", "--x-max", "10"], ".bin", 4),
        ("ppmi", ["--window", "2", "--cds", "1"], ".npz", 12),  # one sparse column per word
    ],
)
def test_count_methods_through_the_same_front_door(
    corpus, tmp_path, capsys, method, options, suffix, dim
):
    out = tmp_path / f"vectors{suffix}"
    args = ["train", corpus, "-o", out, "--method", method, "--min-count", "1"]
    rc, stdout, err = run([*args, "--threads", "1", *options, "--json"], capsys)
    assert rc == 0, err
    report = json.loads(stdout)
    assert (report["method"], report["vocabulary"], report["dim"]) == (method, 12, dim)
    if suffix == ".npz":
        from embedlab.vectors.sparse import SparseEmbeddings

        assert sorted(SparseEmbeddings.load(out).words) == sorted(ROYAL + WATER)
    else:
        kv = KeyedVectors.load_word2vec_format(str(out), binary=suffix == ".bin")
        assert kv.vectors.shape == (12, dim)


# ---- what reaches the Python API -----------------------------------------------------------


def fake_train(calls):
    def fit(corpus, method="skipgram", *, before_fit, **params):
        assert setting("x_max") == "--x-max"  # errors name the flags, not the Python names
        assert setting("checkpoint_dir", "ck") == "--checkpoint ck"
        assert callable(before_fit)  # the free-space check once the vocabulary is known
        calls.append((corpus, method, params))
        return Embeddings(["a", "b"], np.eye(2, dtype=np.float32), meta={"history": []}), 0.1

    return fit


def test_only_the_options_given_reach_train(tmp_path, capsys, monkeypatch):
    calls = []
    monkeypatch.setattr(embedlab.methods, "fit", fake_train(calls))
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b\n", encoding="utf-8")
    rc, _, err = run(["train", corpus, "-o", tmp_path / "v.txt", "--dim", "7"], capsys)
    assert rc == 0, err
    assert calls == [(str(corpus), "skipgram", {"dim": 7})]


def test_every_option_maps_to_its_python_name(tmp_path, capsys, monkeypatch):
    calls = []
    monkeypatch.setattr(embedlab.methods, "fit", fake_train(calls))
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    for path in (a, b):
        path.write_text("a b\n", encoding="utf-8")
    args = ["train", a, b, "-o", tmp_path / "v.txt", "--method", "glove"]
    args += ["--objective", "softmax", "--dim", "3", "--window", "2", "--negative", "4"]
    args += ["--ns-exponent", "0.5", "--sample", "0.001", "--min-count", "2"]
    args += ["--max-vocab", "9", "--epochs", "6", "--alpha", "0.1", "--min-alpha", "0.01"]
    args += ["--cbow-sum", "--fresh-negatives", "--threads", "2", "--seed", "8"]
    args += ["--combine", "sum"]
    args += ["--checkpoint", tmp_path / "ck", "--resume", tmp_path / "m.emb", "--quiet"]
    args += ["--weighting", "harmonic", "--context", "left", "--cds", "1", "--shift", "5"]
    args += ["--eig", "0", "--memory", "2G", "--solver", "arpack", "--x-max", "50"]
    args += ["--weight-power", "0.5", "--tokenizer", "whitespace", "--no-lowercase"]
    args += ["--encoding", "latin-1", "--errors", "replace", "--no-cache"]
    rc, _, err = run(args, capsys)
    assert rc == 0, err
    [(corpus, method, params)] = calls
    assert corpus == [str(a), str(b)] and method == "glove"
    assert params == {
        "objective": "softmax",
        "dim": 3,
        "window": 2,
        "negative": 4,
        "ns_exponent": 0.5,
        "sample": 0.001,
        "min_count": 2,
        "max_vocab": 9,
        "epochs": 6,
        "alpha": 0.1,
        "min_alpha": 0.01,
        "cbow_mean": False,
        "shared_negatives": False,
        "threads": 2,
        "seed": 8,
        "combine": "sum",
        "checkpoint_dir": tmp_path / "ck",
        "resume": tmp_path / "m.emb",
        "quiet": True,
        "weighting": "harmonic",
        "context": "left",
        "cds": 1.0,
        "shift": 5.0,
        "eig": 0.0,
        "memory": "2G",
        "solver": "arpack",
        "x_max": 50.0,
        "weight_power": 0.5,
        "tokenizer": "whitespace",
        "lowercase": False,
        "encoding": "latin-1",
        "errors": "replace",
        "cache": False,
    }


# ---- user errors: one line, exit 2, no output file -----------------------------------------


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--dim", "-5"], "dim must be at least 1, got -5"),
        (["--window", "0"], "window must be at least 1, got 0"),
        (["--method", "fasttext"], "unknown method 'fasttext'"),
        (["--objective", "hs"], "objective must be one of negative, hierarchical, softmax"),
        (["--cds", "0.5"], "--cds does not apply to method 'skipgram'"),
        (["--x-max", "10", "--method", "cbow"], "--x-max does not apply to method 'cbow'"),
        (["--min-count", "1000"], "after --min-count 1000: lower --min-count"),
        (["--dim", "many"], "Invalid value for '--dim'"),
        (["--combine", "max"], "combine must be one of"),
    ],
)
def test_bad_options_are_one_line_errors(corpus, tmp_path, capsys, extra, message):
    out = tmp_path / "vectors.bin"
    rc, stdout, err = run(["train", corpus, "-o", out, *FAST, *extra], capsys)
    assert_user_error(rc, err, message)
    assert stdout == ""
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left either


def test_a_failed_run_leaves_an_existing_output_untouched(corpus, tmp_path, capsys):
    out = tmp_path / "vectors.bin"
    out.write_bytes(b"previous")
    rc, _, err = run(["train", corpus, "-o", out, *FAST, "--min-count", "1000"], capsys)
    assert_user_error(rc, err, "after --min-count 1000")
    assert out.read_bytes() == b"previous"


def test_empty_corpus(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    out = tmp_path / "vectors.bin"
    rc, _, err = run(["train", empty, "-o", out, *FAST], capsys)
    assert_user_error(rc, err, "empty.txt has no tokens")
    assert not out.exists()


def test_missing_corpus_file(tmp_path, capsys):
    out = tmp_path / "vectors.bin"
    rc, _, err = run(["train", tmp_path / "nope.txt", "-o", out, *FAST], capsys)
    assert_user_error(rc, err, "does not exist")
    assert not out.exists()


def test_output_onto_a_directory(corpus, tmp_path, capsys):
    rc, _, err = run(["train", corpus, "-o", tmp_path, *FAST], capsys)
    assert_user_error(rc, err, "is a directory")


def test_output_in_a_missing_folder(corpus, tmp_path, capsys):
    rc, _, err = run(["train", corpus, "-o", tmp_path / "no" / "v.bin", *FAST], capsys)
    assert_user_error(rc, err, "does not exist")


def test_output_over_the_corpus_is_refused(tmp_path, capsys):
    corpus = tmp_path / "text.txt"
    corpus.write_text("a b c\n" * 10, encoding="utf-8")
    rc, _, err = run(["train", corpus, "-o", corpus, *FAST], capsys)
    assert_user_error(rc, err, f"the output {str(corpus)!r} (--output) is the input")
    assert "(CORPUS)" in err
    assert corpus.read_text(encoding="utf-8") == "a b c\n" * 10


def test_unknown_output_extension_fails_before_training(tmp_path, capsys, monkeypatch):
    calls = []
    monkeypatch.setattr(embedlab.methods, "fit", fake_train(calls))
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b\n", encoding="utf-8")
    rc, _, err = run(["train", corpus, "-o", tmp_path / "v.xyz"], capsys)
    assert rc == 2 and err.startswith("embedlab: error: ") and err.count("\n") == 1
    assert calls == []  # refused before any training


def test_ppmi_output_must_be_npz_before_counting(tmp_path, capsys, monkeypatch):
    calls = []
    monkeypatch.setattr(embedlab.methods, "fit", fake_train(calls))
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b\n", encoding="utf-8")
    rc, _, err = run(["train", corpus, "-o", tmp_path / "v.txt", "--method", "ppmi"], capsys)
    assert_user_error(rc, err, "name the output 'v.npz'")
    assert calls == []


def test_bad_output_path_fails_before_training(tmp_path, capsys, monkeypatch):
    calls = []
    monkeypatch.setattr(embedlab.methods, "fit", fake_train(calls))
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b\n", encoding="utf-8")
    rc, _, err = run(["train", corpus, "-o", tmp_path / "missing" / "v.bin"], capsys)
    assert rc == 2 and calls == []


def test_options_foreign_to_the_method_are_named_by_their_flags(corpus, tmp_path, capsys):
    out = tmp_path / "vectors.txt"
    extra = ["--method", "glove", "--negative", "3", "--cbow-sum", "--quiet"]
    rc, _, err = run(["train", corpus, "-o", out, "--epochs", "1", *extra], capsys)
    assert_user_error(rc, err, "--cbow-mean/--cbow-sum, --negative do not apply to method 'glove'")
    assert "--x-max" in err and "x_max" not in err
